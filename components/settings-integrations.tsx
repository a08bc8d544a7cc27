"use client";

import { ApiOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Row, Space, Tag, Typography } from "antd";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { IntegrationCard, SettingValue } from "@/lib/settings/describe-integrations";
import type { ConnectionTestResult } from "@/lib/settings/test-integration-connection";

type TestConnection = (input: { integration: "jira" | "slack" | "grafana" }) => Promise<ActionResult<ConnectionTestResult>>;

function stateTag(card: IntegrationCard) {
  if (card.on) return <Tag color="green">{card.name === "github" ? "Configured" : "On"}</Tag>;
  if (card.configured) return <Tag color="orange">Off</Tag>;
  return <Tag>Not configured</Tag>;
}

function Value({ value }: { value: SettingValue }) {
  switch (value.type) {
    case "text":
      return <Typography.Text>{value.text}</Typography.Text>;
    case "url":
      return /^https?:\/\//.test(value.url) ? (
        <a href={value.url} target="_blank" rel="noreferrer">
          {value.url}
        </a>
      ) : (
        <Typography.Text>{value.url}</Typography.Text>
      );
    case "variable":
      return (
        <span>
          <Typography.Text code>{value.name}</Typography.Text>
          <Tag color={value.set ? "green" : "red"}>{value.set ? "set" : "not set"}</Tag>
        </span>
      );
  }
}

/** The integration cards of the settings page, with a "Test connection" button on each one that is on. */
export function SettingsIntegrations({ cards, testConnection }: { cards: IntegrationCard[]; testConnection: TestConnection }) {
  return (
    <section aria-labelledby="settings-integrations" style={{ marginBottom: 24 }}>
      <Typography.Title level={4} id="settings-integrations">
        Integrations
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {cards.map((card) => (
          <Col key={card.name} xs={24} lg={12}>
            <IntegrationSettingsCard card={card} testConnection={testConnection} />
          </Col>
        ))}
      </Row>
    </section>
  );
}

function IntegrationSettingsCard({ card, testConnection }: { card: IntegrationCard; testConnection: TestConnection }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<ConnectionTestResult>>();
  const name = card.name;

  function test() {
    if (name === "github") return;
    setResult(undefined);
    startTransition(async () => {
      setResult(await testConnection({ integration: name }));
    });
  }

  return (
    <Card
      title={
        <Space>
          {card.title}
          {stateTag(card)}
        </Space>
      }
      extra={
        card.testable ? (
          <Button icon={<ApiOutlined />} loading={pending} onClick={test} aria-label={`Test the ${card.title} connection`}>
            Test connection
          </Button>
        ) : null
      }
      style={{ height: "100%" }}
      aria-label={`${card.title} settings`}
    >
      <Space orientation="vertical" size="small" style={{ width: "100%" }}>
        {card.reason ? <Typography.Text type={card.configured ? "warning" : "secondary"}>{card.reason}</Typography.Text> : null}
        {card.settings.length > 0 ? (
          <Descriptions
            size="small"
            column={1}
            items={card.settings.map((row) => ({
              key: row.label,
              label: row.label,
              children: (
                <Space orientation="vertical" size={2}>
                  {row.values.map((value, index) => (
                    <Value key={index} value={value} />
                  ))}
                </Space>
              ),
            }))}
          />
        ) : null}
        {result ? <TestResult result={result} /> : null}
      </Space>
    </Card>
  );
}

function TestResult({ result }: { result: ActionResult<ConnectionTestResult> }) {
  if (!result.ok) return <Alert type="error" showIcon role="status" title={result.error} />;
  const test = result.value;
  if (!test.ok) return <Alert type="error" showIcon role="status" title="The connection test failed" description={test.error} />;
  return (
    <Alert
      type={test.warnings.length > 0 ? "warning" : "success"}
      showIcon
      role="status"
      title={test.summary}
      description={test.warnings.length > 0 ? test.warnings.map((warning) => <div key={warning}>{warning}</div>) : undefined}
    />
  );
}
