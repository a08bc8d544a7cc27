"use client";

import { Alert, App, Button, Flex, Space, Steps, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RollbackPreview } from "@/lib/releases/plan-rollback";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { UpgradePlanReview } from "./upgrade-plan-review";

const UNREACHABLE = "Could not reach the server; try again.";

type Change = RollbackPreview["changes"][number];
type RollbackInput = { environment: string; to: string; services: string[] };

/** The server actions the wizard calls, passed in by the page. */
export interface RollbackActions {
  plan: (input: RollbackInput) => Promise<ActionResult<UpgradePlan>>;
  raise: (input: RollbackInput & { baseSha: string }) => Promise<ActionResult<{ id: number; reused: boolean }>>;
}

/**
 * Rolling back: confirm which services go back (all that differ, unless the page was opened for one), with clear
 * warnings when several go at once and for services added or removed since, which a rollback of versions leaves as
 * they are; then review the backwards changelog and the edit, and raise the change request.
 */
export function RollbackWizard({
  environment,
  preview,
  problem,
  initialServices,
  actions,
}: {
  environment: string;
  preview?: RollbackPreview;
  problem?: string;
  initialServices?: string[];
  actions: RollbackActions;
}) {
  const router = useRouter();
  const { message } = App.useApp();
  const changes = preview?.changes ?? [];
  const [selected, setSelected] = useState<string[]>(() =>
    initialServices ? changes.filter((c) => initialServices.includes(c.service)).map((c) => c.service) : changes.map((c) => c.service),
  );
  const [plan, setPlan] = useState<UpgradePlan>();
  const [planning, setPlanning] = useState(false);
  const [raising, setRaising] = useState(false);
  const [planError, setPlanError] = useState<string>();
  const [raiseError, setRaiseError] = useState<string>();

  if (!preview) {
    return <Alert type="error" showIcon title="Nothing to roll back" description={problem ?? "The rollback could not be prepared."} />;
  }
  const input = { environment, to: preview.to.sha, services: selected };

  async function review() {
    setPlanning(true);
    setPlanError(undefined);
    try {
      const result = await actions.plan(input);
      if (!result.ok) return setPlanError(result.error);
      setPlan(result.value);
      setRaiseError(undefined);
      window.scrollTo({ top: 0 });
    } catch {
      setPlanError(UNREACHABLE);
    } finally {
      setPlanning(false);
    }
  }

  async function raise() {
    if (!plan) return;
    setRaising(true);
    setRaiseError(undefined);
    try {
      const result = await actions.raise({ ...input, baseSha: plan.baseSha });
      if (!result.ok) {
        setRaiseError(result.error);
        message.error(result.error);
        setRaising(false);
        return;
      }
      const { id, reused } = result.value;
      if (reused) message.info(`An open change request (#${id}) already has this rollback; opening it.`);
      else message.success(`Rollback #${id} raised.`);
      router.push(`/releases/${id}`);
    } catch {
      setRaiseError(UNREACHABLE);
      setRaising(false);
    }
  }

  const columns: ColumnsType<Change> = [
    { title: "Service", dataIndex: "service", render: (service: string) => <Typography.Text strong>{service}</Typography.Text> },
    { title: "Runs now", dataIndex: "from", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: "Goes back to", dataIndex: "to", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
  ];
  const shortSha = preview.to.sha.slice(0, 8);

  return (
    <Flex vertical gap={16}>
      <Steps current={plan ? 1 : 0} size="small" items={[{ title: "Choose services" }, { title: "Review and raise" }]} />
      {plan ? (
        <UpgradePlanReview plan={plan} raising={raising} error={raiseError} onBack={() => setPlan(undefined)} onRaise={raise} />
      ) : (
        <>
          <Typography.Paragraph>
            Back to the versions <Typography.Text strong>{environment}</Typography.Text> ran at{" "}
            <Typography.Text code>{shortSha}</Typography.Text> ({preview.to.subject}, by {preview.to.author},{" "}
            {new Date(preview.to.date).toLocaleString()}).
          </Typography.Paragraph>
          {selected.length > 1 ? (
            <Alert
              type="warning"
              showIcon
              title={`${selected.length} services roll back at once`}
              description="Each goes back to the version it ran then, in one change request. Untick the ones that should stay."
            />
          ) : null}
          {preview.addedSince.length > 0 || preview.removedSince.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title="Services were added or removed since then"
              description={
                <ul aria-label="Services this rollback leaves as they are">
                  {preview.addedSince.map((s) => (
                    <li key={`added-${s.service}`}>
                      {s.service} {s.version} was added since: it stays (a rollback changes versions, not the list of services).
                    </li>
                  ))}
                  {preview.removedSince.map((s) => (
                    <li key={`removed-${s.service}`}>
                      {s.service} (ran {s.version} then) was removed since: it stays removed.
                    </li>
                  ))}
                </ul>
              }
            />
          ) : null}
          {preview.unresolved.length > 0 ? (
            <Alert
              type="info"
              showIcon
              title="Not rolled back"
              description={
                <ul aria-label="Services that cannot be rolled back exactly">
                  {preview.unresolved.map((u) => (
                    <li key={u.service}>
                      {u.service}: {u.reason}.
                    </li>
                  ))}
                </ul>
              }
            />
          ) : null}
          <Table<Change>
            rowKey="service"
            columns={columns}
            dataSource={changes}
            pagination={false}
            size="middle"
            aria-label="Services to roll back"
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys.map(String)),
              getCheckboxProps: (c) => ({ "aria-label": `Roll back ${c.service}` }),
              getTitleCheckboxProps: () => ({ "aria-label": "Roll back every service" }),
            }}
          />
          {planError ? <Alert type="error" showIcon title="The rollback could not be planned" description={planError} /> : null}
          <Space>
            <Button type="primary" onClick={review} loading={planning} disabled={selected.length === 0}>
              Review rollback
            </Button>
            {planning ? <Typography.Text type="secondary">Reading what leaves and planning the edit…</Typography.Text> : null}
          </Space>
        </>
      )}
    </Flex>
  );
}
