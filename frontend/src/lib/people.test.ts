import { describe, expect, it } from "vitest";
import {
  linkWords,
  cardAs, deleteConfirmed, exportFileName, hiddenFrom, initials, knownTopics, NO_FILTERS, peopleSearch, readPeopleSearch,
  type PreviewProfile,
} from "./people";

const ada: PreviewProfile = {
  id: 7, name: "Ada Lovelace", email: "ada@example.org", phone: "+44 20 1234", headline: "Staff engineer", company: "Engines",
  links: [{ label: "Blog", url: "https://example.org" }], topics: ["Kubernetes"], mentoring_offered: ["Go"], mentoring_sought: [],
  directory_opt_in: true,
  sharing: { headline: "everyone", company: "connections", email: "connections", phone: "nobody", links: "everyone" },
};

describe("what others see of me", () => {
  it("shows people at my events only what I share with everyone", () => {
    const card = cardAs(ada, "attendee");
    expect(card).toMatchObject({ name: "Ada Lovelace", headline: "Staff engineer", company: null, email: null, phone: null });
    expect(card.links).toEqual(ada.links);
    expect(card.topics).toEqual(["Kubernetes"]);
    expect(hiddenFrom(ada, "attendee")).toEqual(["company", "email", "phone"]);
  });

  it("shows people I met what I share with connections too, never what I keep to myself", () => {
    const card = cardAs(ada, "connection");
    expect(card).toMatchObject({ company: "Engines", email: "ada@example.org", phone: null });
    expect(hiddenFrom(ada, "connection")).toEqual(["phone"]);
    expect(hiddenFrom({ ...ada, phone: "" }, "connection")).toEqual([]); // nothing to hide

  });

  it("keeps topics and mentoring from people at my events while I am not in the directory", () => {
    const unlisted = { ...ada, directory_opt_in: false };
    expect(cardAs(unlisted, "attendee")).toMatchObject({ topics: null, mentoring_offered: null, mentoring_sought: null });
    expect(cardAs(unlisted, "connection").topics).toEqual(["Kubernetes"]);
    expect(hiddenFrom(unlisted, "attendee")).toContain("topics and mentoring");
  });
});

describe("the address keeps the people tab and filters", () => {
  it("reads and writes them", () => {
    const filters = { ...NO_FILTERS, q: " kub ", mentors_in: "Tech leadership" };
    const search = peopleSearch("everyone", filters);
    expect(search).toBe("?tab=everyone&q=kub&mentors_in=Tech+leadership");
    expect(readPeopleSearch(search)).toEqual({ tab: "everyone", filters: { ...filters, q: "kub" } });
  });

  it("leaves the suggestions, the default, without a query", () => {
    expect(peopleSearch("suggested", { ...NO_FILTERS, q: "x" })).toBe("");
    expect(readPeopleSearch("?tab=nonsense").tab).toBe("suggested");
  });
});

describe("small words", () => {
  it("offers my topics first, then those on cards, each once whatever the case", () => {
    const card = { user_id: 1, name: "G", headline: null, company: null, email: null, phone: null, links: null,
      topics: ["kubernetes", "Rust"], mentoring_offered: null, mentoring_sought: ["Go"] };
    expect(knownTopics({ topics: ["Kubernetes"], mentoring_offered: [], mentoring_sought: ["Tech leadership"] }, [card]))
      .toEqual(["Kubernetes", "Tech leadership", "Rust", "Go"]);
  });

  it("makes initials, a dated file name and checks the typed word", () => {
    expect(initials("Ada King Lovelace")).toBe("AL");
    expect(initials("  Zoë ")).toBe("Z");
    expect(initials("(Ada) O'Brien!")).toBe("AO");
    expect(initials("🚀 Grace Hopper —")).toBe("GH");
    expect(initials("!!!")).toBe("?");
    expect(exportFileName(new Date("2026-12-03T10:00:00Z"))).toBe("netevents-my-data-2026-12-03.json");
    expect(deleteConfirmed(" Delete ")).toBe(true);
    expect(deleteConfirmed("delet")).toBe(false);
  });

  it("reads a link as its label, else its site, else Link", () => {
    expect(linkWords({ label: " Blog ", url: "https://bob.example/blog" })).toBe("Blog");
    expect(linkWords({ label: "", url: "https://www.bob.example.com/ample/com" })).toBe("bob.example.com");
    expect(linkWords({ label: null, url: "not a url" })).toBe("Link");
  });
});
