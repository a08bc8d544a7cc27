import { describe, expect, it } from "vitest";
import { describeRequester, withCoAuthor } from "./attribution";
import type { Principal } from "./principal";

const ben: Principal = { username: "ben", name: "Ben Backend", email: "ben@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };

describe("attribution", () => {
  it("names the requester in the body and credits them as co-author", () => {
    const attribution = describeRequester(ben);
    expect(attribution.bodyLine).toBe("Requested by Ben Backend (ben) through Slipway.");
    expect(withCoAuthor("Upgrade orders to 1.4.2\n", attribution)).toBe(
      "Upgrade orders to 1.4.2\n\nCo-authored-by: Ben Backend <ben@slipway.example>\n",
    );
  });

  it("mentions GitHub users by login", () => {
    expect(describeRequester({ ...ben, source: "github", username: "octocat" }).bodyLine).toBe("Requested by @octocat through Slipway.");
  });

  it("leaves the trailer out without a usable e-mail, and defuses names that would break it", () => {
    expect(describeRequester({ ...ben, email: undefined }).coAuthorTrailer).toBeUndefined();
    expect(describeRequester({ ...ben, email: "x <y>@z" }).coAuthorTrailer).toBeUndefined();
    const hostile = describeRequester({ ...ben, name: "Eve\nSigned-off-by: <root@x> [click](http://evil)" });
    expect(hostile.coAuthorTrailer).toBe("Co-authored-by: Eve Signed-off-by: root x click http://evil <ben@slipway.example>");
    expect(hostile.bodyLine).toBe("Requested by Eve Signed-off-by: root x click http://evil (ben) through Slipway.");
  });
});
