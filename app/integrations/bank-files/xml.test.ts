import { describe, expect, it } from "vitest";
import { find, namespaceOf, parseXml, textAt } from "./xml";
import { bankFileError } from "./test-helpers";

describe("parseXml", () => {
  it("reads elements, attributes, entities, CDATA and comments with line numbers", () => {
    const root = parseXml(
      `\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<a:Doc xmlns:a="urn:x" k='v &quot;q&quot;'>\n` +
        `  <a:B>x &amp; y &lt;&gt; &apos; &#65;&#x42;</a:B>\n  <a:C><![CDATA[<raw> & ]]></a:C><a:D/>\n</a:Doc>\n`,
    );
    expect(root.local).toBe("Doc");
    expect(root.line).toBe(3);
    expect(root.attrs.k).toBe('v "q"');
    expect(namespaceOf(root)).toBe("urn:x");
    expect(textAt(root, "B")).toBe("x & y <> ' AB");
    expect(find(root, "B")?.line).toBe(4);
    expect(textAt(root, "C")).toBe("<raw> &");
    expect(find(root, "D")?.children).toEqual([]);
  });

  // The messages are saxes' own (decision 0109); the line is where the fault shows.
  it.each([
    ["<a>\n<b>\n</a>", 3, /unexpected close tag/],
    ["<a>\n<b>x</b>", 1, /<a> is never closed/],
    // saxes reads a bare "&" as the start of an entity that runs on: the document never closes.
    ["<a>\n x & y\n</a>", 1, /<a> is never closed/],
    ["<a>&nbsp;</a>", 1, /undefined entity/],
    ["<a x=1></a>", 1, /unquoted attribute value/],
    ["<a x='1' x='2'></a>", 1, /duplicate attribute: x/],
    ["<a></a>\n<b></b>", 2, /only one root/],
    ['<!DOCTYPE a [<!ENTITY e "boom">]>\n<a/>', 1, /DOCTYPE/],
    ['<!DOCTYPE a [<!ENTITY e "boom">]>\n<a>&e;</a>', 1, /DOCTYPE/],
    ["<a>\n<!-- never closed\n</a>", 1, /<a> is never closed/],
    ["", 1, /must contain a root element/],
  ])("rejects %j on line %i", (xml, line, message) => {
    const error = bankFileError(() => parseXml(xml));
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });
});
