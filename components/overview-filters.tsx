"use client";

import { Select, Space, Switch } from "antd";
import { useQueryNavigation } from "./use-query-navigation";

export interface OverviewFilterValues {
  group?: string;
  services: string[];
  onlyBehind: boolean;
}

/** Filters live in the URL, so a filtered overview can be bookmarked and shared; the server does the filtering. */
export function OverviewFilters({
  value,
  groupOptions,
  serviceOptions,
}: {
  value: OverviewFilterValues;
  groupOptions: { dimension: string; value: string }[];
  serviceOptions: string[];
}) {
  const { pending, navigate } = useQueryNavigation();

  function apply(next: OverviewFilterValues) {
    navigate({ group: next.group, service: next.services, behind: next.onlyBehind });
  }

  return (
    <Space wrap size="middle" style={{ marginBottom: 16 }} aria-busy={pending}>
      <Select
        aria-label="Group"
        allowClear
        placeholder="All groups"
        style={{ minWidth: 200 }}
        value={value.group}
        onChange={(group?: string) => apply({ ...value, group })}
        options={groupOptions.map((g) => ({ value: `${g.dimension}:${g.value}`, label: `${g.dimension}: ${g.value}` }))}
      />
      <Select
        aria-label="Services"
        mode="multiple"
        allowClear
        placeholder="All services"
        style={{ minWidth: 240, maxWidth: 480 }}
        value={value.services}
        onChange={(services: string[]) => apply({ ...value, services })}
        options={serviceOptions.map((s) => ({ value: s, label: s }))}
      />
      <label style={{ display: "inline-flex", alignItems: "center", gap: 8 }}>
        <Switch
          checked={value.onlyBehind}
          onChange={(onlyBehind) => apply({ ...value, onlyBehind })}
          aria-label="Only behind"
        />
        Only behind
      </label>
    </Space>
  );
}
