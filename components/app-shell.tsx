"use client";

import { BarsOutlined, LogoutOutlined, SearchOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Input, Layout, Typography } from "antd";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import type { Navigation } from "@/lib/snapshots/dashboard-types";
import { NavigationMenu } from "./navigation-menu";
import { ThemeSwitch } from "./theme-switch";

/** A slipway: a ramp down to the water. Inline SVG so it renders without an emoji font. */
function SlipwayMark() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden style={{ verticalAlign: "-3px", marginRight: 4 }}>
      <path d="M2 15 L18 5" stroke="#1d6fb8" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M2 18 Q6 16 10 18 T18 18" stroke="#40a9ff" strokeWidth="2" fill="none" strokeLinecap="round" />
    </svg>
  );
}

/** Page frame: left navigation of environment groups (a drawer-like collapsed sider on phones) and the content. */
export interface ShellUser {
  name: string;
  username: string;
  isAdmin: boolean;
  anonymous: boolean;
}

export function AppShell({ navigation, user, children }: { navigation: Navigation; user?: ShellUser; children: ReactNode }) {
  const pathname = usePathname();
  const [collapsed, setCollapsed] = useState(false);
  const [narrow, setNarrow] = useState(false);

  // On a phone the navigation overlays the page; close it once the user has picked where to go.
  useEffect(() => {
    if (narrow) setCollapsed(true);
  }, [pathname, narrow]);

  // Before sign-in there is nothing to navigate: the page (the sign-in form) stands alone.
  if (!user) {
    return (
      <Layout style={{ minHeight: "100vh" }}>
        <Layout.Content style={{ padding: "16px clamp(12px, 3vw, 32px)" }}>{children}</Layout.Content>
      </Layout>
    );
  }

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        onBreakpoint={setNarrow}
        className="slipway-sider"
        trigger={null}
        width={232}
        theme="light"
        style={{ borderRight: "1px solid var(--ant-color-border-secondary)" }}
      >
        <Link href="/" style={{ display: "block", padding: "18px 20px", fontWeight: 700, fontSize: 18, color: "var(--ant-color-text)" }}>
          <SlipwayMark /> Slipway
        </Link>
        <form action="/where" method="get" role="search" style={{ padding: "0 16px 8px" }}>
          <Input
            name="q"
            size="small"
            allowClear
            maxLength={100}
            prefix={<SearchOutlined aria-hidden />}
            placeholder="Ticket or commit"
            aria-label="Where is it running? A ticket key or a commit id"
          />
        </form>
        <nav aria-label="Environments">
          <NavigationMenu navigation={navigation} isAdmin={user.isAdmin} />
        </nav>
        <Flex vertical gap={4} style={{ padding: "16px 20px", borderTop: "1px solid var(--ant-color-border-secondary)" }}>
          <Typography.Text aria-label="Signed in as">
            <UserOutlined /> {user.name} {user.anonymous ? null : <Typography.Text type="secondary">({user.username})</Typography.Text>}
          </Typography.Text>
          <ThemeSwitch />
          {user.anonymous ? (
            <Link href="/sign-in">Sign in</Link>
          ) : (
            <Button size="small" icon={<LogoutOutlined />} onClick={() => signOut({ callbackUrl: "/sign-in" })}>
              Sign out
            </Button>
          )}
        </Flex>
      </Layout.Sider>
      <Layout>
        <Layout.Content style={{ padding: "16px clamp(12px, 3vw, 32px)", minWidth: 0 }}>
          {narrow ? (
            <Button
              icon={<BarsOutlined />}
              aria-label={collapsed ? "Open navigation" : "Close navigation"}
              aria-expanded={!collapsed}
              onClick={() => setCollapsed((c) => !c)}
              style={{ marginBottom: 12, position: "relative", zIndex: 101 }}
            >
              Environments
            </Button>
          ) : null}
          {navigation.configError ? (
            <Alert type="error" showIcon title="Configuration error" description={navigation.configError} style={{ marginBottom: 16 }} />
          ) : null}
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
