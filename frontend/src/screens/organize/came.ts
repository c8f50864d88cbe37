/** What "came" means, in the same words on Results and Follow-ups: the API's one definition (a confirmed person
 * checked in, or who met someone at the event). */
export const CAME = "checked in or met someone there";
