"use client";

import { DownloadOutlined } from "@ant-design/icons";
import { Button, Flex, Space, Table, Tag, Typography } from "antd";
import type { ReleaseNotes } from "@/lib/releases/release-notes";
import { LocalTime } from "./local-time";

type ServiceNotes = ReleaseNotes["services"][number];

/** Release notes on screen, and as Markdown to copy or download for an announcement. */
export function ReleaseNotesView({ environment, notes, markdown }: { environment: string; notes: ReleaseNotes; markdown: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([markdown], { type: "text/markdown" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${environment}-release-notes-${notes.to.date.slice(0, 10)}.md`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph>
        From <Typography.Text code>{notes.from.sha.slice(0, 8)}</Typography.Text> (<LocalTime iso={notes.from.date} precision="day" />) to{" "}
        <Typography.Text code>{notes.to.sha.slice(0, 8)}</Typography.Text> (<LocalTime iso={notes.to.date} precision="day" />):{" "}
        {notes.entries.length} release(s), {notes.services.length} service(s), {notes.tickets.length} ticket(s).
      </Typography.Paragraph>
      <Table<ServiceNotes>
        rowKey="service"
        size="middle"
        pagination={false}
        dataSource={notes.services}
        aria-label="Release notes per service"
        columns={[
          { title: "Service", dataIndex: "service", render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: "Versions", dataIndex: "versions", render: (v: string[]) => <Typography.Text code>{v.join(" → ")}</Typography.Text> },
          {
            title: "Tickets",
            key: "tickets",
            render: (_, s) => (
              <Space size={[4, 4]} wrap>
                {s.effect === "removed" ? <Tag color="orange">taken out</Tag> : null}
                {s.tickets.map((t) => (
                  <Tag key={t.key} title={t.subjects[0]}>
                    {t.key}
                  </Tag>
                ))}
                {s.notes.map((note) => (
                  <Typography.Text key={note} type="secondary">
                    {note}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <Space>
        <Typography.Text copyable={{ text: markdown, tooltips: ["Copy as Markdown", "Copied"] }}>Copy as Markdown</Typography.Text>
        <Button icon={<DownloadOutlined />} onClick={download}>
          Download .md
        </Button>
      </Space>
      <pre aria-label="Release notes as Markdown" style={{ whiteSpace: "pre-wrap", background: "#fafafa", padding: 12, border: "1px solid #f0f0f0" }}>
        {markdown}
      </pre>
    </Flex>
  );
}
