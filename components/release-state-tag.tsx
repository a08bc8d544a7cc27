import { Tag } from "antd";
import type { ReleaseKind, ReleaseState } from "@/lib/releases/release-types";

const STATE_COLORS: Record<ReleaseState, string> = { open: "blue", deferred: "gold", merged: "green", closed: "default", failed: "red" };

/** open blue, deferred gold, merged green, closed grey, failed red: the same everywhere a release request appears. */
export function ReleaseStateTag({ state }: { state: ReleaseState }) {
  return <Tag color={STATE_COLORS[state]}>{state}</Tag>;
}

const KIND_COLORS: Record<ReleaseKind, string> = { upgrade: "geekblue", rollback: "orange", promotion: "purple" };

export function ReleaseKindTag({ kind }: { kind: ReleaseKind }) {
  return <Tag color={KIND_COLORS[kind]}>{kind}</Tag>;
}
