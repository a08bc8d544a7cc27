import Link from "next/link";
import { PageHeader } from "@/components/page-header";

export default function NotFound() {
  return (
    <>
      <PageHeader title="Not found" subtitle="There is no such page or environment in this workspace." />
      <Link href="/">Back to the overview</Link>
    </>
  );
}
