"use client";

import "./navigation-menu.css";
import { AppstoreOutlined, AuditOutlined, ClusterOutlined, FieldTimeOutlined, PullRequestOutlined, SettingOutlined, WarningFilled } from "@ant-design/icons";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import type { Navigation } from "@/lib/snapshots/dashboard-types";
import { badgeDotColor } from "./badge-colors";

/**
 * The left navigation: overview, releases, the environments by group, and the admin pages. Lists of links, not antd's
 * Menu: the menu rendered dozens of components per item (about 60 ms of every page's server time at 125
 * environments, and as much again hydrating). A link is a tab stop of its own; a group is a <details>, so a closed one
 * takes its environments out of the tab order.
 */
export function NavigationMenu({ navigation, isAdmin }: { navigation: Navigation; isAdmin: boolean }) {
  const pathname = usePathname();
  // Sub-pages highlight their section: a release request its history, an environment's upgrade page the environment.
  const selected = pathname.startsWith("/releases") ? "/releases" : pathname.replace(/^(\/environments\/[^/]+)\/.*$/, "$1");
  const item = (href: string, label: ReactNode, icon?: ReactNode) => (
    <li key={href}>
      <Link href={href} aria-current={href === selected ? "page" : undefined}>
        {icon}
        {label}
      </Link>
    </li>
  );
  const environment = (env: Navigation["ungrouped"][number]) =>
    item(
      `/environments/${encodeURIComponent(env.name)}`,
      <>
        <span>{env.name}</span>
        {env.error ? <WarningFilled className="env-error" aria-label="error" /> : null}
      </>,
      <span className="dot" aria-hidden style={{ background: badgeDotColor(env.worstLevel) }} />,
    );

  return (
    <ul className="slipway-nav">
      {item("/", "Overview", <AppstoreOutlined aria-hidden />)}
      {item("/releases", "Releases", <PullRequestOutlined aria-hidden />)}
      {navigation.groups.map((group) => (
        <li key={`group:${group.value}`}>
          <details open>
            <summary>
              <ClusterOutlined aria-hidden />
              {group.value}
            </summary>
            <ul>{group.environments.map(environment)}</ul>
          </details>
        </li>
      ))}
      {navigation.ungrouped.map(environment)}
      {isAdmin ? (
        <>
          {item("/admin/audit", "Audit trail", <AuditOutlined aria-hidden />)}
          {item("/admin/settings", "Settings", <SettingOutlined aria-hidden />)}
          {item("/admin/refresh", "Refresh timings", <FieldTimeOutlined aria-hidden />)}
        </>
      ) : null}
    </ul>
  );
}
