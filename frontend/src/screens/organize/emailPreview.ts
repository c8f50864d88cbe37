// Shows an email's HTML in a sandboxed <iframe srcdoc> as the recipient's mail client would.
//
// The frame's document inherits the app's Content-Security-Policy, which refuses inline styles, and email HTML
// is nothing but inline styles (mail clients drop <style>). So the email is parsed inert (DOMParser), its
// `style` attributes are taken off, and the parsed document is put into the frame with each style set again
// through the CSSOM (element.style), which the policy allows. The sandbox runs no script of the email's and
// opens its links in a new tab; the frame is same-origin only so that this code can fill it.
export const PREVIEW_SANDBOX = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";
export const EMPTY_PREVIEW = "<!doctype html><html lang=\"en\"><title>Email preview</title></html>";

export function fillPreview(frame: HTMLIFrameElement, html: string): void {
  const target = frame.contentDocument;
  if (!target) return;
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const styles: string[] = [];
  for (const element of parsed.querySelectorAll<HTMLElement>("[style]")) {
    element.dataset.previewStyle = String(styles.push(element.getAttribute("style") ?? "") - 1);
    element.removeAttribute("style");
  }
  for (const element of parsed.querySelectorAll("script, iframe, object, embed, form, meta[http-equiv]")) element.remove();
  // Images travel inside the email (cid:), not in a preview: their alt text stands in.
  for (const image of parsed.querySelectorAll("img")) if (!/^(data:|https?:)/.test(image.getAttribute("src") ?? "")) image.removeAttribute("src");
  for (const link of parsed.querySelectorAll("a[href]")) {
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
  }
  target.replaceChild(target.importNode(parsed.documentElement, true), target.documentElement);
  for (const element of target.querySelectorAll<HTMLElement>("[data-preview-style]")) {
    element.style.cssText = styles[Number(element.dataset.previewStyle)];
    delete element.dataset.previewStyle;
  }
  // As tall as the email: one scroll (the page's), not a box scrolling inside a page on a phone.
  frame.style.height = `${Math.max(240, target.documentElement.scrollHeight + 4)}px`;
}
