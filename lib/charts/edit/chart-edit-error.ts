import { SlipwayError } from "@/lib/errors";

/**
 * A requested chart edit that Slipway will not make: an unknown service, a version that is not semver, a file that
 * does not parse, or a version that other dependencies share through a YAML anchor. The message is for the person
 * planning the release; 422 because the request is well-formed but cannot be applied to this chart.
 */
export class ChartEditError extends SlipwayError {
  constructor(message: string) {
    super(message, 422);
    this.name = "ChartEditError";
  }
}
