/**
 * Whether a bill's own description already begins with its claim type's name: a billing system
 * often writes "Vann og avløp, 3. termin" for a water bill. Letters and emails then say the
 * description alone ("your bill for Vann og avløp (Vann og avløp, 3. termin)" was written before).
 * The whole name only, not the start of a longer word ("Tandvårdsbesök" is not "Tandvård"), and
 * case does not count ("vann og avløp" names "Vann og avløp").
 */
export function descriptionNamesType(claimTypeName: string, description: string): boolean {
  const name = claimTypeName.trim();
  const text = description.trim();
  if (name === "") return false;
  return (
    text.slice(0, name.length).localeCompare(name, undefined, { sensitivity: "accent" }) === 0 &&
    !/^[\p{L}\p{N}]/u.test(text.slice(name.length))
  );
}
