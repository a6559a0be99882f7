import { NORWAY } from "./norway";
import { SWEDEN } from "./sweden";
import type { EnforcementFormat, EnforcementJurisdiction } from "./types";

export { csvCell, exportFileName, renderCsv, type RenderedFile } from "./csv";
export {
  ENFORCEMENT_ROUTES,
  FilingDataError,
  type EnforcementFormat,
  type EnforcementJurisdiction,
  type EnforcementRoute,
  type FilingClaim,
} from "./types";

const JURISDICTIONS: Record<"SE" | "NO", EnforcementJurisdiction> = { SE: SWEDEN, NO: NORWAY };

/** The enforcement filing of a creditor's country. */
export function jurisdictionOf(country: "SE" | "NO"): EnforcementJurisdiction {
  return JURISDICTIONS[country];
}

/** Every format, by its id (a stored batch names its format). */
export function formatById(id: string): EnforcementFormat | null {
  for (const j of Object.values(JURISDICTIONS))
    for (const route of j.routes) if (j.format(route).id === id) return j.format(route);
  return null;
}
