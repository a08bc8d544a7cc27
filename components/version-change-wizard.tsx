"use client";

import { Alert, App, Button, Checkbox, Flex, Space, Steps, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import type { WhereRunningLookup } from "./ticket-drawer";
import type { TicketDetailsLookup } from "./use-ticket-details";
import { UpgradePlanReview } from "./upgrade-plan-review";

const UNREACHABLE = "Could not reach the server; try again.";

/** One service whose version the change moves: from what runs to what the rollback or promotion puts there. */
export interface VersionChange {
  service: string;
  from: string;
  to: string;
}

/** Things the change leaves alone, said before anything is chosen: nothing is dropped silently. */
export interface ChangeNotice {
  title: string;
  label: string;
  items: string[];
}

/**
 * A service the change leaves as it is unless the person ticks it (unticked to begin with): a rollback's service added
 * since (`field` "remove") or removed since (`field` "restore"). Ticked ones go to the actions under `field`.
 */
export interface MembershipChoice {
  field: "remove" | "restore";
  service: string;
  label: string;
  /** Why it cannot be chosen, when it cannot: shown instead of a checkbox that does nothing. */
  unavailable?: string;
}

type ChangeInput = { environment: string; services: string[] } & Record<string, string | string[]>;

/** The server actions the wizard calls, passed in by the page; `fixed` (e.g. `to` or `from`) goes with every call. */
export interface VersionChangeActions {
  plan: (input: ChangeInput) => Promise<ActionResult<UpgradePlan>>;
  raise: (input: ChangeInput & { baseSha: string }) => Promise<ActionResult<{ id: number; reused: boolean }>>;
  /** The ticket drawer's "where is it running?". */
  whereRunning?: WhereRunningLookup;
  /** Jira's summaries, statuses and details of the changelog's tickets. */
  ticketDetails?: TicketDetailsLookup;
}

/**
 * A rollback or a promotion: confirm which services move (all that differ, unless the page was opened for some),
 * with a clear warning when several move at once and the notices of what stays as it is; then review the plan (the
 * changelog, the edit) and raise the change request.
 */
export function VersionChangeWizard({
  environment,
  intro,
  changes,
  notices,
  choices = [],
  choicesWarning,
  initialServices,
  fixed,
  labels,
  actions,
}: {
  environment: string;
  intro: ReactNode;
  changes: VersionChange[];
  notices: ChangeNotice[];
  /** Services the change leaves alone unless ticked, with `choicesWarning` said above them. */
  choices?: MembershipChoice[];
  choicesWarning?: { title: string; description: string };
  initialServices?: string[];
  fixed: Record<string, string>;
  labels: { verb: string; toColumn: string; review: string; raised: string; several: string };
  actions: VersionChangeActions;
}) {
  const router = useRouter();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>(() =>
    initialServices ? changes.filter((c) => initialServices.includes(c.service)).map((c) => c.service) : changes.map((c) => c.service),
  );
  const [chosen, setChosen] = useState<MembershipChoice[]>([]);
  const [plan, setPlan] = useState<UpgradePlan>();
  const [planning, setPlanning] = useState(false);
  const [raising, setRaising] = useState(false);
  const [planError, setPlanError] = useState<string>();
  const [raiseError, setRaiseError] = useState<string>();
  const chosenFields = Object.fromEntries(
    (["remove", "restore"] as const).flatMap((field) => {
      const services = chosen.filter((c) => c.field === field).map((c) => c.service);
      return services.length > 0 ? [[field, services]] : [];
    }),
  );
  const input = { ...fixed, environment, services: selected, ...chosenFields };
  const moving = selected.length + chosen.length;
  const toggle = (choice: MembershipChoice, on: boolean) =>
    setChosen((current) => (on ? [...current, choice] : current.filter((c) => c.field !== choice.field || c.service !== choice.service)));

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
      if (reused) message.info(`An open change request (#${id}) already has these changes; opening it.`);
      else message.success(`${labels.raised} #${id} raised.`);
      router.push(`/releases/${id}`);
    } catch {
      setRaiseError(UNREACHABLE);
      setRaising(false);
    }
  }

  const columns: ColumnsType<VersionChange> = [
    { title: "Service", dataIndex: "service", render: (service: string) => <Typography.Text strong>{service}</Typography.Text> },
    { title: "Runs now", dataIndex: "from", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: labels.toColumn, dataIndex: "to", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
  ];

  return (
    <Flex vertical gap={16}>
      <Steps current={plan ? 1 : 0} size="small" items={[{ title: "Choose services" }, { title: "Review and raise" }]} />
      {plan ? (
        <UpgradePlanReview plan={plan} raising={raising} error={raiseError} onBack={() => setPlan(undefined)} onRaise={raise} whereRunning={actions.whereRunning} ticketDetails={actions.ticketDetails} />
      ) : (
        <>
          <Typography.Paragraph>{intro}</Typography.Paragraph>
          {moving > 1 ? (
            <Alert
              type="warning"
              showIcon
              title={`${moving} services ${labels.several} at once`}
              description="They move together, in one change request. Untick the ones that should stay."
            />
          ) : null}
          {notices.map((notice) => (
            <Alert
              key={notice.title}
              type="warning"
              showIcon
              title={notice.title}
              description={
                <ul aria-label={notice.label}>
                  {notice.items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              }
            />
          ))}
          <Table<VersionChange>
            rowKey="service"
            columns={columns}
            dataSource={changes}
            pagination={false}
            size="middle"
            aria-label={`Services to ${labels.verb.toLowerCase()}`}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys.map(String)),
              getCheckboxProps: (c) => ({ "aria-label": `${labels.verb} ${c.service}` }),
              getTitleCheckboxProps: () => ({ "aria-label": `${labels.verb} every service` }),
            }}
          />
          {choices.length > 0 ? (
            <section aria-label="Services added or removed since">
              <Flex vertical gap={8}>
                {choicesWarning ? <Alert type="warning" showIcon title={choicesWarning.title} description={choicesWarning.description} /> : null}
                {choices.map((choice) =>
                  choice.unavailable ? (
                    <Typography.Text key={`${choice.field}-${choice.service}`} type="secondary">
                      {`${choice.label}: not possible, ${choice.unavailable}.`}
                    </Typography.Text>
                  ) : (
                    <Checkbox
                      key={`${choice.field}-${choice.service}`}
                      checked={chosen.some((c) => c.field === choice.field && c.service === choice.service)}
                      onChange={(event) => toggle(choice, event.target.checked)}
                    >
                      {choice.label}
                    </Checkbox>
                  ),
                )}
              </Flex>
            </section>
          ) : null}
          {planError ? <Alert type="error" showIcon title="It could not be planned" description={planError} /> : null}
          <Space>
            <Button type="primary" onClick={review} loading={planning} disabled={moving === 0}>
              {labels.review}
            </Button>
            {planning ? <Typography.Text type="secondary">Reading the changelogs and planning the edit…</Typography.Text> : null}
          </Space>
        </>
      )}
    </Flex>
  );
}
