import { XMLParser, XMLValidator } from "fast-xml-parser";
import { malformedXml } from "./errors";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
export const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

/** An element to write; `undefined` children are skipped, so optional parts read inline. */
export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: ReadonlyArray<XmlElement | undefined>;
  readonly text?: string;
}

export function el(
  name: string,
  content?: string | number | boolean | ReadonlyArray<XmlElement | undefined>,
  attributes?: Record<string, string>,
): XmlElement {
  if (Array.isArray(content)) return { name, children: content, attributes };
  return { name, text: content === undefined ? "" : String(content), attributes };
}

/** An optional leaf: absent when the value is. */
export function opt(name: string, value: string | number | boolean | undefined): XmlElement | undefined {
  return value === undefined ? undefined : el(name, value);
}

export function escapeXml(text: string): string {
  // Quotes as &#34; like Scaleway does in ETags.
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;" })[c]!);
}

export function renderXml(element: XmlElement): string {
  const attributes = Object.entries(element.attributes ?? {})
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join("");
  const inner = element.children
    ? element.children.map((child) => (child ? renderXml(child) : "")).join("")
    : escapeXml(element.text ?? "");
  return `<${element.name}${attributes}>${inner}</${element.name}>`;
}

/** A whole document, with the declaration Scaleway puts before successful answers. */
export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(root)}`;
}

/** Elements that repeat in the documents S3 clients send; parsed as lists even when single. */
const LISTS = new Set([
  "Rule",
  "Tag",
  "Grant",
  "CORSRule",
  "AllowedMethod",
  "AllowedOrigin",
  "AllowedHeader",
  "ExposeHeader",
  "Object",
  "Part",
  "Transition",
  "NoncurrentVersionTransition",
  "RoutingRule",
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Go's encoder writes quotes as &#34; (ETags in CompleteMultipartUpload): numeric references too.
  htmlEntities: true,
  isArray: (name) => LISTS.has(name),
});

/** A parsed element: text, or child elements by name (lists for the LISTS names), `@attr` for attributes. */
export type XmlTree = Record<string, unknown>;

/** Parses a request body whose root must be `root`; MalformedXML otherwise. */
export function parseXml(body: Buffer | string, root: string): XmlTree {
  const text = body.toString().trim();
  if (!text || XMLValidator.validate(text) !== true) throw malformedXml();
  const document = parser.parse(text) as XmlTree;
  const value = document[root];
  if (value === undefined) throw malformedXml();
  return value === "" ? {} : (value as XmlTree);
}

/** The child elements named `name`, as a list whether one or many were sent. */
export function children(tree: unknown, name: string): XmlTree[] {
  if (!tree || typeof tree !== "object") return [];
  const value = (tree as XmlTree)[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === "object" && item !== null ? (item as XmlTree) : { "#text": item }));
}

/** The text of a child element, or undefined when absent. */
export function textOf(tree: unknown, name: string): string | undefined {
  if (!tree || typeof tree !== "object") return undefined;
  const value = (tree as XmlTree)[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  if (first && typeof first === "object" && "#text" in first) return String((first as XmlTree)["#text"]);
  return first === undefined || first === null ? undefined : "";
}

/** Every text of repeated child elements. */
export function textsOf(tree: unknown, name: string): string[] {
  return children(tree, name).map((item) => String(item["#text"] ?? ""));
}

export function childOf(tree: unknown, name: string): XmlTree | undefined {
  return children(tree, name)[0];
}

/** Writes a parsed (and validated) tree back; `sorted` orders child elements by name, as Scaleway does. */
export function treeElements(tree: XmlTree, sorted = false): XmlElement[] {
  const names = Object.keys(tree).filter((name) => !name.startsWith("@") && name !== "#text");
  if (sorted) names.sort();
  return names.flatMap((name) => {
    const value = tree[name];
    return (Array.isArray(value) ? value : [value]).map((item) => treeElement(name, item, sorted));
  });
}

function treeElement(name: string, value: unknown, sorted: boolean): XmlElement {
  if (value && typeof value === "object") {
    const inner = treeElements(value as XmlTree, sorted);
    return inner.length ? el(name, inner) : el(name, String((value as XmlTree)["#text"] ?? ""));
  }
  return el(name, String(value ?? ""));
}
