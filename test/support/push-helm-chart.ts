import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

export interface PushTarget {
  /** Registry base URL, e.g. `http://127.0.0.1:5000`. */
  url: string;
  username: string;
  password: string;
}

/**
 * Pushes a Helm chart artifact the way `helm push` lays it out (config blob with Helm's config media type, one
 * chart-content layer, an OCI image manifest), through plain distribution API calls. `tag` is written as is:
 * pass `1.0.0_build.1` to store what Helm pushes for version `1.0.0+build.1`.
 */
export async function pushHelmChart(target: PushTarget, repository: string, tag: string): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString("base64")}`;
  const chartName = repository.split("/").pop() ?? repository;
  const version = tag.replaceAll("_", "+");
  const config = await uploadBlob(
    target,
    authorization,
    repository,
    Buffer.from(JSON.stringify({ name: chartName, version, apiVersion: "v2" })),
  );
  const layer = await uploadBlob(
    target,
    authorization,
    repository,
    gzipSync(`apiVersion: v2\nname: ${chartName}\nversion: ${version}\n`),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.cncf.helm.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", ...layer }],
  };
  const response = await fetch(`${target.url}/v2/${repository}/manifests/${tag}`, {
    method: "PUT",
    headers: { Authorization: authorization, "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
    body: JSON.stringify(manifest),
  });
  if (response.status !== 201) {
    throw new Error(`manifest PUT ${repository}:${tag} answered ${response.status}: ${await response.text()}`);
  }
}

async function uploadBlob(
  target: PushTarget,
  authorization: string,
  repository: string,
  data: Buffer,
): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  const start = await fetch(`${target.url}/v2/${repository}/blobs/uploads/`, {
    method: "POST",
    headers: { Authorization: authorization },
  });
  await start.body?.cancel();
  const location = start.headers.get("location");
  if (start.status !== 202 || !location) throw new Error(`blob upload start answered ${start.status}`);
  const upload = new URL(location, target.url);
  upload.searchParams.set("digest", digest);
  const put = await fetch(upload, {
    method: "PUT",
    headers: { Authorization: authorization, "Content-Type": "application/octet-stream" },
    body: new Uint8Array(data),
  });
  if (put.status !== 201) throw new Error(`blob PUT answered ${put.status}: ${await put.text()}`);
  return { digest, size: data.byteLength };
}
