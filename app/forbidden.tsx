import Link from "next/link";
import { PageHeader } from "@/components/page-header";

export default function Forbidden() {
  return (
    <>
      <PageHeader title="Not allowed" subtitle="Your role in this workspace does not include this page. Nothing was changed." />
      <Link href="/">Back to the overview</Link>
    </>
  );
}
