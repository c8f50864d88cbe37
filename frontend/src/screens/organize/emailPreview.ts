// Shows an email's HTML in a sandboxed <iframe srcdoc> as the recipient's mail client would.
//
// The frame's document inherits the app's Content-Security-Policy, which refuses inline styles, and email HTML
// is nothing but inline styles (mail clients drop <style>). So the email's `style` attributes are renamed before
// it is parsed (inert, DOMParser), and once it is in the frame each style is set again through the CSSOM
// (element.style), which the policy allows. The sandbox runs no script of the email's and
// opens its links in a new tab; the frame is same-origin only so that this code can fill it.
export const PREVIEW_SANDBOX = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";
export const EMPTY_PREVIEW = "<!doctype html><html lang=\"en\"><title>Email preview</title></html>";

/** Style attributes renamed in the email's markup, so that no parser, however inert, meets one: Chrome reports
 * (and refuses) a style attribute even in a DOMParser document. The email comes from the server's templates with
 * every attribute value double-quoted and escaped, so ` style="` only ever starts an attribute. */
const STYLE_ATTRIBUTE = /(\s)style=(["'])/gi;
const KEPT_STYLE = "data-preview-style";

export function fillPreview(frame: HTMLIFrameElement, html: string): void {
  const target = frame.contentDocument;
  if (!target) return;
  const parsed = new DOMParser().parseFromString(html.replace(STYLE_ATTRIBUTE, `$1${KEPT_STYLE}=$2`), "text/html");
  for (const element of parsed.querySelectorAll("script, style, link, iframe, object, embed, form, meta[http-equiv]")) element.remove();
  // Images travel inside the email (cid:), not in a preview: their alt text stands in.
  for (const image of parsed.querySelectorAll("img")) if (!/^data:/.test(image.getAttribute("src") ?? "")) image.removeAttribute("src");
  for (const link of parsed.querySelectorAll("a[href]")) {
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
  }
  target.replaceChild(target.importNode(parsed.documentElement, true), target.documentElement);
  for (const element of target.querySelectorAll<HTMLElement>(`[${KEPT_STYLE}]`)) {
    element.style.cssText = element.getAttribute(KEPT_STYLE) ?? "";
    element.removeAttribute(KEPT_STYLE);
  }
  // As tall as the email: one scroll (the page's), not a box scrolling inside a page on a phone.
  frame.style.height = `${Math.max(240, target.documentElement.scrollHeight + 4)}px`;
}
