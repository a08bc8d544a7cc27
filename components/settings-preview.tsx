"use client";

import { Alert, Empty, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import type { RecentRequest } from "@/lib/settings/read-settings";
import type { EventPreview, FollowThroughPreview, GrafanaPreview, JiraCallPreview, SlackPreview } from "@/lib/settings/preview-follow-through";
import { SlackMessagePreview } from "./settings-slack-message";
import { useQueryNavigation } from "./use-query-navigation";
import { RelativeTime } from "./relative-time";

const INTEGRATION_COLORS = { jira: "blue", slack: "purple", grafana: "orange" } as const;

/** JSON as sent, folded away under its summary so the page stays readable. */
function JsonBody({ summary, value }: { summary: string; value: unknown }) {
  return (
    <details>
      <summary style={{ cursor: "pointer" }}>{summary}</summary>
      <pre style={{ background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6, padding: 8, fontSize: 12, overflowX: "auto", whiteSpace: "pre" }}>
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

function Section({ title, empty, children }: { title: string; empty: string; children: ReactNode[] }) {
  return (
    <section aria-label={title} style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{title}</Typography.Title>
      {children.length > 0 ? (
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          {children}
        </Space>
      ) : (
        <Typography.Text type="secondary">{empty}</Typography.Text>
      )}
    </section>
  );
}

function JiraCall({ call }: { call: JiraCallPreview }) {
  return (
    <div>
      <Typography.Text code>{`${call.method} ${call.path}`}</Typography.Text> <Typography.Text type="secondary">{`${call.job} · ${call.subject}`}</Typography.Text>
      {call.note ? <div style={{ fontSize: 12 }}>{call.note}</div> : null}
      {call.body !== undefined ? <JsonBody summary="Request body" value={call.body} /> : null}
    </div>
  );
}

function SlackEntry({ entry }: { entry: SlackPreview }) {
  return (
    <div>
      <div style={{ marginBottom: 6 }}>
        <Typography.Text strong>{entry.label}</Typography.Text>{" "}
        <Typography.Text type="secondary">
          {entry.channels.length > 0 ? `to ${entry.channels.join(", ")}` : "no channel is routed to this environment"}
        </Typography.Text>
      </div>
      <SlackMessagePreview blocks={entry.rendered} label={`${entry.label}: the message as Slack shows it`} />
      <JsonBody summary={`${entry.method} arguments`} value={entry.body} />
    </div>
  );
}

function GrafanaTable({ annotations }: { annotations: GrafanaPreview[] }) {
  return (
    <Table<GrafanaPreview>
      rowKey="service"
      size="small"
      pagination={false}
      dataSource={annotations}
      aria-label="Grafana annotations"
      scroll={{ x: 700 }}
      columns={[
        { title: "Service", dataIndex: "service" },
        { title: "Time", dataIndex: "time", render: (time: string) => <Typography.Text code>{time}</Typography.Text> },
        { title: "Tags", dataIndex: "tags", render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{tag}</Tag>) },
        {
          title: "Text",
          key: "text",
          render: (_, annotation) => (
            <>
              <div style={{ whiteSpace: "pre-wrap" }}>{annotation.text}</div>
              <JsonBody summary={`${annotation.method} ${annotation.path} body`} value={annotation.body} />
            </>
          ),
        },
      ]}
    />
  );
}

function JobList({ event }: { event: EventPreview }) {
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {event.jobs.map((job) => (
        <li key={job.key}>
          <Tag color={INTEGRATION_COLORS[job.integration]}>{job.integration}</Tag>
          {job.label.replace(/^\w+: /, "")} <Typography.Text type="secondary">· {job.subject}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

function EventPanel({ event }: { event: EventPreview }) {
  return (
    <div>
      <Typography.Paragraph type="secondary">
        {event.hypothetical ? (
          "Nothing has happened yet: this is what would be sent if it happened now."
        ) : (
          <>
            It happened <RelativeTime iso={event.at} />.
          </>
        )}
      </Typography.Paragraph>
      <Section title="Jobs stored for this event" empty="No jobs.">
        {event.jobs.length > 0 ? [<JobList key="jobs" event={event} />] : []}
      </Section>
      {event.repeated > 0 ? (
        <Typography.Text type="secondary">
          {`The plan also asks again for ${event.repeated === 1 ? "1 job" : `${event.repeated} jobs`} of an earlier event; their keys are stored already, so nothing is added.`}
        </Typography.Text>
      ) : null}
      <Section title="Jira calls" empty="Nothing for Jira.">
        {event.jira.map((call, index) => (
          <JiraCall key={index} call={call} />
        ))}
      </Section>
      <Section title="Slack messages" empty="Nothing for Slack.">
        {event.slack.map((entry) => (
          <SlackEntry key={entry.kind} entry={entry} />
        ))}
      </Section>
      <Section title="Grafana annotations" empty="Nothing for Grafana (annotations are made when a request merges).">
        {event.grafana.length > 0 ? [<GrafanaTable key="grafana" annotations={event.grafana} />] : []}
      </Section>
    </div>
  );
}

/** "What would be sent": pick a recent release request, see each event's jobs and payloads. */
export function SettingsPreview({
  recent,
  selected,
  missing,
  preview,
}: {
  recent: RecentRequest[];
  selected?: number;
  missing?: number;
  preview?: FollowThroughPreview;
}) {
  const { pending, navigate } = useQueryNavigation();
  return (
    <section aria-labelledby="settings-preview">
      <Typography.Title level={4} id="settings-preview">
        What would be sent
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        For a release request: the follow-through jobs each event stores, and what they send to Jira, Slack and Grafana, with slipway.yaml as it is.
        Nothing is sent from here.
      </Typography.Paragraph>
      {recent.length === 0 ? (
        <Empty description="No release requests yet: raise one to preview what it would send." />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          <Select
            aria-label="Release request to preview"
            value={selected}
            loading={pending}
            onChange={(id: number) => navigate({ request: id })}
            options={recent.map((request) => ({ value: request.id, label: request.label }))}
            style={{ width: "100%", maxWidth: 720 }}
            showSearch={{ optionFilterProp: "label" }}
          />
          {missing !== undefined ? <Alert type="warning" showIcon title={`There is no change request #${missing} you can see; showing the newest.`} /> : null}
          {preview ? (
            <>
              {preview.integrations.map((integration) =>
                integration.note ? <Alert key={integration.name} type={integration.configured ? "warning" : "info"} showIcon title={integration.note} /> : null,
              )}
              <Tabs
                items={preview.events.map((event) => ({
                  key: event.type,
                  label: event.hypothetical ? <em>{event.title}</em> : event.title,
                  children: <EventPanel event={event} />,
                }))}
              />
            </>
          ) : null}
        </Space>
      )}
    </section>
  );
}
