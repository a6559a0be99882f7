import { describe, expect, it } from "vitest";
import { STOP_REASONS } from "~/domain/escalation";
import { supportedLngs } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";

type Tree = { [key: string]: string | Tree };

// NextStepText shows `next.<reason>` for whatever the engine stopped on; a reason without its
// sentence showed residents the key itself ("next.letter_on_its_way") while a letter was on its way.
describe("what happens next, when the engine takes no step", () => {
  for (const lng of supportedLngs) {
    it(`has a sentence for every reason the engine stops in ${lng}`, () => {
      const next = (resources[lng].common as unknown as Tree).next as Tree;
      const missing = STOP_REASONS.filter(
        (reason) => typeof next[reason] !== "string" || (next[reason] as string).trim() === "",
      );
      expect(missing).toEqual([]);
    });
  }
});
