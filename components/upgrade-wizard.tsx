"use client";

import { Alert, App, Button, Flex, Select, Space, Steps, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult, UpgradeCandidate, UpgradePlan } from "@/lib/releases/release-types";
import { compareChartVersions } from "@/lib/versions/chart-version";
import { StatusBadge } from "./status-badge";
import type { WhereRunningLookup } from "./ticket-drawer";
import type { TicketDetailsLookup } from "./use-ticket-details";
import { UpgradePlanReview } from "./upgrade-plan-review";

const BEHIND = new Set(["behind", "far-behind"]);
const UNREACHABLE = "Could not reach the server; try again.";

type Direction = "upgrade" | "downgrade" | "same" | "unknown";

/** The same order the server plans with (Helm's: `1.6` is 1.6.0), so the labels here match the plan. */
function directionOf(running: string | undefined, target: string): Direction {
  const order = running === undefined ? undefined : compareChartVersions(target, running);
  if (order === undefined) return running === target ? "same" : "unknown";
  return order > 0 ? "upgrade" : order < 0 ? "downgrade" : "same";
}

function versionLabel(candidate: UpgradeCandidate, version: string): string {
  const marks: string[] = [];
  if (version === candidate.latest) marks.push("latest");
  const direction = directionOf(candidate.running, version);
  if (direction === "same") marks.push("running");
  if (direction === "downgrade") marks.push("downgrade");
  return marks.length > 0 ? `${version} (${marks.join(", ")})` : version;
}

const selectable = (c: UpgradeCandidate) => c.versions.length > 0;
const defaultTarget = (c: UpgradeCandidate) => c.latest ?? c.versions[0];

/**
 * Upgrade services in one environment: choose services and target versions, review the planned changelog and file
 * diff, then raise the change request. Nothing is written before "Raise change request".
 */
type UpgradeTargets = { service: string; version?: string }[];

/** The server actions the wizard calls, passed in by the page. */
export interface UpgradeActions {
  plan: (input: { environment: string; targets: UpgradeTargets }) => Promise<ActionResult<UpgradePlan>>;
  raise: (input: { environment: string; targets: UpgradeTargets; baseSha: string }) => Promise<ActionResult<{ id: number; reused: boolean }>>;
  /** The ticket drawer's "where is it running?". */
  whereRunning?: WhereRunningLookup;
  /** Jira's summaries, statuses and details of the changelog's tickets. */
  ticketDetails?: TicketDetailsLookup;
}

export function UpgradeWizard({ environment, candidates, actions }: { environment: string; candidates: UpgradeCandidate[]; actions: UpgradeActions }) {
  const router = useRouter();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);
  const [versions, setVersions] = useState<Record<string, string>>({});
  const [plan, setPlan] = useState<UpgradePlan>();
  const [step, setStep] = useState<0 | 1>(0);
  const [planning, setPlanning] = useState(false);
  const [raising, setRaising] = useState(false);
  const [planError, setPlanError] = useState<string>();
  const [raiseError, setRaiseError] = useState<string>();

  const byService = new Map(candidates.map((c) => [c.service, c]));
  const targetOf = (c: UpgradeCandidate) => versions[c.service] ?? defaultTarget(c);
  const behindCount = candidates.filter((c) => BEHIND.has(c.status) && selectable(c)).length;

  // The plan is made for exactly these targets; raising sends the same ones with the plan's base commit.
  const targets = () =>
    selected.flatMap((service) => {
      const candidate = byService.get(service);
      return candidate ? [{ service, version: targetOf(candidate) }] : [];
    });

  function selectAllBehind() {
    const behind = candidates.filter((c) => BEHIND.has(c.status) && selectable(c)).map((c) => c.service);
    setSelected((current) => [...new Set([...current, ...behind])]);
  }

  async function review() {
    setPlanning(true);
    setPlanError(undefined);
    try {
      const result = await actions.plan({ environment, targets: targets() });
      if (!result.ok) {
        setPlanError(result.error);
        return;
      }
      setPlan(result.value);
      setRaiseError(undefined);
      setStep(1);
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
      const result = await actions.raise({ environment, targets: targets(), baseSha: plan.baseSha });
      if (!result.ok) {
        setRaiseError(result.error);
        message.error(result.error);
        setRaising(false);
        return;
      }
      const { id, reused } = result.value;
      if (reused) message.info(`An open change request (#${id}) already has these changes; opening it.`);
      else message.success(`Change request #${id} raised.`);
      // Stay "raising" until the release page replaces this one.
      router.push(`/releases/${id}`);
    } catch {
      setRaiseError(UNREACHABLE);
      setRaising(false);
    }
  }

  const columns: ColumnsType<UpgradeCandidate> = [
    {
      title: "Service",
      dataIndex: "service",
      render: (_, c) => (
        <>
          <Typography.Text strong>{c.service}</Typography.Text>
          {c.chart !== c.service ? <Typography.Text type="secondary"> ({c.chart})</Typography.Text> : null}
        </>
      ),
    },
    { title: "Running", dataIndex: "running", render: (v?: string) => <Typography.Text code>{v ?? "?"}</Typography.Text> },
    { title: "Latest", dataIndex: "latest", render: (v?: string) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
    {
      title: "Status",
      dataIndex: "status",
      render: (_, c) => <StatusBadge status={c.status} level={c.badgeLevel} label={c.badgeLabel} />,
    },
    {
      title: "Target version",
      key: "target",
      render: (_, c) => {
        const target = targetOf(c);
        if (!selectable(c) || !target) return <Typography.Text type="secondary">not in the registry</Typography.Text>;
        if (!selected.includes(c.service)) return "—";
        return (
          <Space size={8} wrap>
            <Select
              aria-label={`Target version for ${c.service}`}
              value={target}
              onChange={(version: string) => setVersions((current) => ({ ...current, [c.service]: version }))}
              options={c.versions.map((v) => ({ value: v, label: versionLabel(c, v) }))}
              showSearch
              style={{ minWidth: 200 }}
            />
            {directionOf(c.running, target) === "downgrade" ? <Tag color="red">downgrade</Tag> : null}
          </Space>
        );
      },
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Steps current={step} size="small" items={[{ title: "Choose services" }, { title: "Review and raise" }]} />
      {step === 0 ? (
        <>
          <Space wrap>
            <Button onClick={selectAllBehind} disabled={behindCount === 0}>
              Select all behind
            </Button>
            <Button onClick={() => setSelected([])} disabled={selected.length === 0}>
              Clear selection
            </Button>
            <Typography.Text type="secondary" aria-live="polite">
              {selected.length === 1 ? "1 service selected" : `${selected.length} services selected`}
            </Typography.Text>
          </Space>
          {/*
            Scrolls in its own box rather than with antd's scroll.x: that adds a hidden measuring row holding a copy of
            each column title, here the focusable select-all checkbox, inside aria-hidden.
          */}
          <div style={{ overflowX: "auto" }}>
            <Table<UpgradeCandidate>
              rowKey="service"
              columns={columns}
              dataSource={candidates}
              pagination={false}
              size="middle"
              style={{ minWidth: 800 }}
              aria-label="Services to upgrade"
              rowSelection={{
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (c) => ({ disabled: !selectable(c), "aria-label": `Select ${c.service}` }),
                getTitleCheckboxProps: () => ({ "aria-label": "Select every service" }),
              }}
            />
          </div>
          {planError ? <Alert type="error" showIcon title="The upgrade could not be planned" description={planError} /> : null}
          <Space>
            <Button type="primary" onClick={review} loading={planning} disabled={selected.length === 0}>
              Review changes
            </Button>
            {planning ? <Typography.Text type="secondary">Reading changelogs and planning the edit…</Typography.Text> : null}
          </Space>
        </>
      ) : plan ? (
        <UpgradePlanReview plan={plan} raising={raising} error={raiseError} onBack={() => setStep(0)} onRaise={raise} whereRunning={actions.whereRunning} ticketDetails={actions.ticketDetails} />
      ) : null}
    </Flex>
  );
}
