/**
 * Block Kit validation as Slack does it for messages (chat.postMessage, chat.update), to the limits in Slack's block
 * reference (docs.slack.dev/reference/block-kit): 50 blocks per message, header text 150 characters, section text
 * 3000, section fields 10 × 2000, context elements 10, actions elements 25, button text 75, URLs 3000, block_id 255 and
 * unique in the message. Problems come back in Slack's own wording and form: a message per problem with a JSON pointer,
 * e.g. `must be less than 151 characters [json-pointer:/blocks/0/text/text]`.
 */

export const BLOCK_LIMITS = {
  blocksPerMessage: 50,
  blockId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  url: 3000,
  altText: 2000,
  markdownText: 12000,
  /** `text` of a text object anywhere else. */
  textObject: 3000,
} as const;

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string) {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
  maxLength(value: string, max: number, pointer: string) {
    if (value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
    else if (value.length === 0) this.add("must be more than 0 characters", pointer);
  }
}

function checkText(value: Json, pointer: string, problems: Problems, options: { max: number; plainOnly?: boolean }) {
  if (!isObject(value)) return problems.add("must provide an object", pointer);
  if (value.type !== "plain_text" && value.type !== "mrkdwn") {
    return problems.add(`must be one of [plain_text, mrkdwn]`, `${pointer}/type`);
  }
  if (options.plainOnly && value.type !== "plain_text") return problems.add("must be plain_text", `${pointer}/type`);
  if (typeof value.text !== "string") return problems.add("must provide a string", `${pointer}/text`);
  problems.maxLength(value.text, options.max, `${pointer}/text`);
  if (value.emoji !== undefined && value.type !== "plain_text") problems.add("unsupported field", `${pointer}/emoji`);
  if (value.verbatim !== undefined && value.type !== "mrkdwn") problems.add("unsupported field", `${pointer}/verbatim`);
}

function checkUrl(value: Json, pointer: string, problems: Problems) {
  if (typeof value !== "string") return problems.add("must provide a string", pointer);
  problems.maxLength(value, BLOCK_LIMITS.url, pointer);
  if (!/^https?:\/\/[^\s]+$/i.test(value)) problems.add("must be a valid url", pointer);
}

function checkElement(element: Json, pointer: string, problems: Problems, actionIds: Set<string>) {
  if (!isObject(element)) return problems.add("must provide an object", pointer);
  switch (element.type) {
    case "button": {
      checkText(element.text, `${pointer}/text`, problems, { max: BLOCK_LIMITS.buttonText, plainOnly: true });
      if (element.action_id !== undefined) {
        if (typeof element.action_id !== "string") problems.add("must provide a string", `${pointer}/action_id`);
        else {
          problems.maxLength(element.action_id, BLOCK_LIMITS.actionId, `${pointer}/action_id`);
          if (actionIds.has(element.action_id)) problems.add("action_id must be unique", `${pointer}/action_id`);
          actionIds.add(element.action_id);
        }
      }
      if (element.url !== undefined) checkUrl(element.url, `${pointer}/url`, problems);
      if (element.value !== undefined) {
        if (typeof element.value !== "string") problems.add("must provide a string", `${pointer}/value`);
        else problems.maxLength(element.value, BLOCK_LIMITS.buttonValue, `${pointer}/value`);
      }
      if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
        problems.add("must be one of [primary, danger]", `${pointer}/style`);
      }
      return;
    }
    case "image":
      checkUrl(element.image_url, `${pointer}/image_url`, problems);
      if (typeof element.alt_text !== "string") problems.add("must provide a string", `${pointer}/alt_text`);
      else problems.maxLength(element.alt_text, BLOCK_LIMITS.altText, `${pointer}/alt_text`);
      return;
    default:
      problems.add(`unsupported type: ${String(element.type)}`, `${pointer}/type`);
  }
}

function checkBlock(block: Json, pointer: string, problems: Problems, blockIds: Set<string>, actionIds: Set<string>) {
  if (!isObject(block)) return problems.add("must provide an object", pointer);
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== "string") problems.add("must provide a string", `${pointer}/block_id`);
    else {
      problems.maxLength(block.block_id, BLOCK_LIMITS.blockId, `${pointer}/block_id`);
      if (blockIds.has(block.block_id)) problems.add("block_id must be unique in a message", `${pointer}/block_id`);
      blockIds.add(block.block_id);
    }
  }
  switch (block.type) {
    case "header":
      checkText(block.text, `${pointer}/text`, problems, { max: BLOCK_LIMITS.headerText, plainOnly: true });
      return;
    case "divider":
      return;
    case "section": {
      if (block.text === undefined && block.fields === undefined) {
        return problems.add("must provide either text or fields", pointer);
      }
      if (block.text !== undefined) checkText(block.text, `${pointer}/text`, problems, { max: BLOCK_LIMITS.sectionText });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) return problems.add("must provide an array", `${pointer}/fields`);
        if (block.fields.length === 0) problems.add("must provide at least 1 item", `${pointer}/fields`);
        if (block.fields.length > BLOCK_LIMITS.sectionFields) {
          problems.add(`no more than ${BLOCK_LIMITS.sectionFields} items allowed`, `${pointer}/fields`);
        }
        block.fields.forEach((field, i) =>
          checkText(field, `${pointer}/fields/${i}`, problems, { max: BLOCK_LIMITS.sectionFieldText }),
        );
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, problems, actionIds);
      return;
    }
    case "context": {
      if (!Array.isArray(block.elements)) return problems.add("must provide an array", `${pointer}/elements`);
      if (block.elements.length === 0) problems.add("must provide at least 1 item", `${pointer}/elements`);
      if (block.elements.length > BLOCK_LIMITS.contextElements) {
        problems.add(`no more than ${BLOCK_LIMITS.contextElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((element, i) => {
        const at = `${pointer}/elements/${i}`;
        if (isObject(element) && element.type === "image") checkElement(element, at, problems, actionIds);
        else checkText(element, at, problems, { max: BLOCK_LIMITS.textObject });
      });
      return;
    }
    case "actions": {
      if (!Array.isArray(block.elements)) return problems.add("must provide an array", `${pointer}/elements`);
      if (block.elements.length === 0) problems.add("must provide at least 1 item", `${pointer}/elements`);
      if (block.elements.length > BLOCK_LIMITS.actionsElements) {
        problems.add(`no more than ${BLOCK_LIMITS.actionsElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((element, i) => checkElement(element, `${pointer}/elements/${i}`, problems, actionIds));
      return;
    }
    case "image":
      checkUrl(block.image_url, `${pointer}/image_url`, problems);
      if (typeof block.alt_text !== "string") problems.add("must provide a string", `${pointer}/alt_text`);
      else problems.maxLength(block.alt_text, BLOCK_LIMITS.altText, `${pointer}/alt_text`);
      if (block.title !== undefined) checkText(block.title, `${pointer}/title`, problems, { max: 2000, plainOnly: true });
      return;
    case "markdown":
      if (typeof block.text !== "string") return problems.add("must provide a string", `${pointer}/text`);
      problems.maxLength(block.text, BLOCK_LIMITS.markdownText, `${pointer}/text`);
      return;
    case "rich_text":
      if (!Array.isArray(block.elements)) problems.add("must provide an array", `${pointer}/elements`);
      return;
    default:
      problems.add(`unsupported type: ${String(block.type)}`, `${pointer}/type`);
  }
}

/** Slack's messages for what is wrong with `blocks` (already parsed from JSON); empty when Slack would accept them. */
export function validateBlocks(blocks: Json): string[] {
  const problems = new Problems();
  if (!Array.isArray(blocks)) {
    problems.add("must provide an array", "/blocks");
    return problems.list;
  }
  if (blocks.length > BLOCK_LIMITS.blocksPerMessage) {
    problems.add(`no more than ${BLOCK_LIMITS.blocksPerMessage} items allowed`, "/blocks");
  }
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => checkBlock(block, `/blocks/${i}`, problems, blockIds, actionIds));
  return problems.list;
}
