import { describe, expect, it } from "vitest";
import { draftOver, type ProfileBody } from "./profileDraft";

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
});
