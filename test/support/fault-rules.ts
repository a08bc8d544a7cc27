/**
 * The faults a vendor test server was asked to inject: rules tried in the order injected, each used `times` times
 * (every time when unset) and then dropped. The servers (GitHub, Jira, Slack, Grafana) differ in what a rule matches
 * and what a fault does; this is what they share.
 */
export class FaultRules<Rule extends { times?: number }> {
  private readonly rules: (Rule & { remaining: number })[] = [];

  /** Adds a rule; the function returned removes it again. */
  inject(rule: Rule): () => void {
    const entry = { ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(entry);
    return () => {
      const index = this.rules.indexOf(entry);
      if (index >= 0) this.rules.splice(index, 1);
    };
  }

  injectOnce(rule: Rule): () => void {
    return this.inject({ ...rule, times: 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first rule that `applies` to a request, counted as used once. */
  take(applies: (rule: Rule) => boolean): Rule | undefined {
    const index = this.rules.findIndex((rule) => rule.remaining > 0 && applies(rule));
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }
}
