"use client";

import { AppstoreOutlined, ClusterOutlined, WarningFilled } from "@ant-design/icons";
import { Alert, Layout, Menu, type MenuProps, theme } from "antd";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";
import type { Navigation } from "@/lib/snapshots/dashboard-types";
import { badgeDotColor } from "./badge-colors";

function environmentItem(env: Navigation["ungrouped"][number]): NonNullable<MenuProps["items"]>[number] {
  return {
    key: `/environments/${encodeURIComponent(env.name)}`,
    label: (
      <Link href={`/environments/${encodeURIComponent(env.name)}`}>
        <span aria-hidden style={{ display: "inline-block", width: 8, height: 8, borderRadius: 4, marginRight: 8, background: badgeDotColor(env.worstLevel) }} />
        {env.name}
        {env.error ? <WarningFilled style={{ color: "#cf1322", marginLeft: 6 }} aria-label="error" /> : null}
      </Link>
    ),
  };
}

/** Page frame: left navigation of environment groups (a drawer-like collapsed sider on phones) and the content. */
export function AppShell({ navigation, children }: { navigation: Navigation; children: ReactNode }) {
  const pathname = usePathname();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

  const items: MenuProps["items"] = [
    { key: "/", icon: <AppstoreOutlined />, label: <Link href="/">Overview</Link> },
    ...navigation.groups.map((group) => ({
      key: `group:${group.value}`,
      icon: <ClusterOutlined />,
      label: group.value,
      children: group.environments.map(environmentItem),
    })),
    ...navigation.ungrouped.map(environmentItem),
  ];

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={232}
        theme="light"
        style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Link href="/" style={{ display: "block", padding: "18px 20px", fontWeight: 700, fontSize: 18, color: token.colorText }}>
          ⛵ Slipway
        </Link>
        <nav aria-label="Environments">
          <Menu
            mode="inline"
            selectedKeys={[pathname]}
            defaultOpenKeys={navigation.groups.map((g) => `group:${g.value}`)}
            items={items}
            style={{ borderInlineEnd: "none" }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Content style={{ padding: "16px clamp(12px, 3vw, 32px)", minWidth: 0 }}>
          {navigation.configError ? (
            <Alert type="error" showIcon title="Configuration error" description={navigation.configError} style={{ marginBottom: 16 }} />
          ) : null}
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
