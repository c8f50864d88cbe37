import { useMemo } from "preact/hooks";

/** An SVG document (from our API) shown as an image: no markup of it enters the page's DOM. */
export function SvgImage(props: { svg: string; alt: string; class?: string }) {
  const src = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(props.svg)}`, [props.svg]);
  return <img class={props.class} src={src} alt={props.alt} />;
}
