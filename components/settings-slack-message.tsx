import type { ReactNode } from "react";
import type { MrkdwnNode, RenderedBlock } from "@/lib/settings/render-slack-blocks";

/**
 * A Slack message as Slack would show it, from the nodes lib/settings/render-slack-blocks.ts reads out of its Block
 * Kit. Every text goes through React, which escapes it; links are http(s) only.
 */
export function SlackMessagePreview({ blocks, label }: { blocks: RenderedBlock[]; label: string }) {
  return (
    <div
      role="figure"
      aria-label={label}
      style={{ border: "1px solid #ddd", borderRadius: 8, padding: "8px 14px", background: "#fff", maxWidth: 680, fontSize: 15, lineHeight: 1.45 }}
    >
      {blocks.map((block, index) => {
        switch (block.type) {
          case "header":
            return (
              <div key={index} style={{ fontWeight: 700, fontSize: 18, margin: "6px 0" }}>
                {block.text}
              </div>
            );
          case "section":
            return (
              <div key={index} style={{ margin: "8px 0" }}>
                {block.text ? (
                  <div>
                    <Mrkdwn nodes={block.text} />
                  </div>
                ) : null}
                {block.fields.length > 0 ? (
                  <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))", gap: "8px 16px" }}>
                    {block.fields.map((field, fieldIndex) => (
                      <div key={fieldIndex}>
                        <Mrkdwn nodes={field} />
                      </div>
                    ))}
                  </div>
                ) : null}
              </div>
            );
          case "context":
            return (
              <div key={index} style={{ margin: "8px 0", fontSize: 12, color: "#616061" }}>
                {block.elements.map((element, elementIndex) => (
                  <span key={elementIndex} style={{ marginRight: 8 }}>
                    <Mrkdwn nodes={element} />
                  </span>
                ))}
              </div>
            );
          case "divider":
            return <hr key={index} style={{ border: 0, borderTop: "1px solid #ddd", margin: "8px 0" }} />;
        }
      })}
    </div>
  );
}

function Mrkdwn({ nodes }: { nodes: MrkdwnNode[] }) {
  return (
    <>
      {nodes.map((node, index) => {
        if (node.type === "break") return <br key={index} />;
        // The renderer only makes http(s) links; checked again here, since an href is where markup would do harm.
        if (node.type === "link") {
          return /^https?:\/\//i.test(node.href) ? (
            <a key={index} href={node.href} target="_blank" rel="noreferrer noopener">
              {node.text}
            </a>
          ) : (
            <span key={index}>{node.text}</span>
          );
        }
        let content: ReactNode = node.text;
        if (node.code) content = <code style={{ background: "#f5f5f5", border: "1px solid #e5e5e5", borderRadius: 3, padding: "0 3px", color: "#c41d7f" }}>{content}</code>;
        if (node.bold) content = <strong>{content}</strong>;
        if (node.italic) content = <em>{content}</em>;
        if (node.strike) content = <s>{content}</s>;
        return <span key={index}>{content}</span>;
      })}
    </>
  );
}
