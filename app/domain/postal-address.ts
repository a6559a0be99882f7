/** A postal address as a letter's window shows it (the name is the resident's own). */
export type PostalAddress = {
  /** Street, c/o, box: in the order they are written on the envelope (at most 4). */
  lines: string[];
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2. */
  country: string;
};

/** A stored address that says nothing is no address. */
export function isUsableAddress(a: PostalAddress | null | undefined): a is PostalAddress {
  return (
    !!a &&
    a.lines.some((l) => l.trim() !== "") &&
    a.postalCode.trim() !== "" &&
    a.city.trim() !== ""
  );
}
