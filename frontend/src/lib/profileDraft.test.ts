import { describe, expect, it } from "vitest";
import { draftOver, madeByRegistration, type ProfileBody } from "./profileDraft";

const draft: ProfileBody = {
  headline: "Staff engineer", company: "Analytical", topics: ["compilers"], mentoring_offered: [], mentoring_sought: [],
  links: [], directory_opt_in: true, contact_sharing: "public",
};

describe("a profile drafted while registering, saved once signed in", () => {
  it("keeps a person out of the directories they left in their profile, and asks them", () => {
    const { body, directory } = draftOver(draft, { directory_opt_in: false });
    expect(body).not.toHaveProperty("directory_opt_in");
    expect(body.headline).toBe("Staff engineer");
    expect(directory).toBe(true);
  });

  it("does not take a listed person out of the directories with a box they left unticked", () => {
    const { body, directory } = draftOver({ ...draft, directory_opt_in: false }, { directory_opt_in: true });
    expect(body).not.toHaveProperty("directory_opt_in");
    expect(directory).toBe(false);
  });

  it("saves everything and asks nothing when the choices agree", () => {
    expect(draftOver(draft, { directory_opt_in: true })).toEqual({ body: draft, directory: null });
  });

  it("saves the listing of an account this registration made: it had no choice before, only the default", () => {
    expect(draftOver(draft, { directory_opt_in: false }, true)).toEqual({ body: draft, directory: null });
  });

  it("tells an account made by the registration from one made before", () => {
    const registered = { created_at: "2026-12-03T18:00:00.120437+00:00" };
    expect(madeByRegistration({ created_at: "2026-12-03T18:00:00.120437+00:00" }, registered)).toBe(true);
    // Made by a script a moment before registering is made before all the same.
    expect(madeByRegistration({ created_at: "2026-12-03T18:00:00.020Z" }, registered)).toBe(false);
    expect(madeByRegistration({ created_at: "2026-12-03T17:59:50Z" }, registered)).toBe(false);
    expect(madeByRegistration({ created_at: "2026-11-20T09:00:00Z" }, registered)).toBe(false);
    expect(madeByRegistration({ created_at: "2026-12-03T18:00:00Z" }, null)).toBe(false);
  });
});
