import { expect, test } from "@playwright/test";
import { addDays, todayIn } from "../app/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id";
import {
  createApiKey,
  createClaimViaApi,
  expectNoAxeViolations,
  PORT,
  screenshot,
  staffPage,
} from "./support";

// Staff correct a resident's postal address from the case (the population register or the
// resident on the phone gave a new one): the address on record is shown, a wrong form comes back
// with its values and an error summary, a correct one is saved and shown with a confirmation.
// Another creditor's staff do not find the case. With JavaScript on (a supervisor) and off (an
// agent): every role that may send a letter again may correct an address.

const TODAY = todayIn("Europe/Oslo", new Date());
const tag = Date.now().toString(36);

/** A synthetic identity number of this spec's own: no other journey reads or changes her. */
function ownResident(start: number) {
  for (let i = start; ; i++) {
    const id = makeNorwegianFodselsnummer("1966-10-05", i, { synthetic: true });
    if (id) return id;
  }
}

for (const js of [true, false]) {
  test(`staff correct a resident's postal address from the case (JavaScript ${js ? "on" : "off"})`, async ({
    browser,
    request,
  }) => {
    const key = await createApiKey("elvdal");
    const externalId = `ADDR-${tag}-${js ? "js" : "nojs"}`;
    const { id: claimId } = await createClaimViaApi(request, key, {
      externalId,
      resident: {
        nationalId: ownResident(js ? 230 : 260),
        name: `Solveig Flytter ${js ? "A" : "B"}`,
        address: { lines: ["Gamleveien 1"], postalCode: "2408", city: "Elverum" },
      },
      principal: 80_000,
      issuedOn: addDays(TODAY, -40),
      dueOn: addDays(TODAY, -10),
    });

    const staff = await staffPage(
      browser,
      js ? "supervisor@elvdal.example" : "agent@elvdal.example",
      {
        javaScriptEnabled: js,
      },
    );
    await staff.goto(`/staff/cases/${claimId}`);
    const section = staff.getByRole("region", { name: "Postal address" });
    const onRecord = section.getByTestId("address-on-record");
    await expect(onRecord).toHaveText(/^Gamleveien 1\n2408 Elverum\nNorway$/, {
      useInnerText: true,
    });
    await expect(onRecord).not.toContainText(/\bNO\b/);

    // A wrong form: it comes back with what was typed and says what is wrong; nothing changes.
    await section.getByText("Correct the address").click();
    await section.getByLabel("Street address").fill("Nyveien 22 H0101");
    await section.getByLabel("Postal code").fill("24#9");
    await section.getByLabel("Town or city").fill("Elverum");
    await section.getByRole("button", { name: "Save the address" }).click();
    const errors = section.getByTestId("form-errors");
    await expect(errors).toContainText("There is a problem. Nothing was changed.");
    await expect(errors.getByRole("link")).toHaveCount(2);
    await expect(errors.getByRole("link", { name: /postal code of 3 to 10/ })).toHaveAttribute(
      "href",
      "#address-postalCode",
    );
    await expect(errors.getByRole("link", { name: /where the new address comes/ })).toHaveAttribute(
      "href",
      "#address-source",
    );
    const postalCode = section.getByLabel("Postal code");
    await expect(postalCode).toHaveValue("24#9");
    await expect(postalCode).toHaveAttribute("aria-invalid", "true");
    await expect(postalCode).toHaveAccessibleDescription(/postal code of 3 to 10/);
    await expect(section.getByLabel("Street address")).toHaveValue("Nyveien 22 H0101");
    await expect(onRecord).toContainText("Gamleveien 1");
    await expectNoAxeViolations(staff);
    await screenshot(staff, `staff-address-errors-js-${js}`);

    // The right one: saved, and the case shows it with a confirmation.
    await section.getByLabel("Postal code").fill("2409");
    await section.getByLabel("Second address line (c/o, flat)").fill("c/o Hansen");
    await section.getByLabel("Where the new address comes from").fill("Population register");
    await section.getByRole("button", { name: "Save the address" }).click();
    await expect(staff).toHaveURL(/\?done=address#postal-address$/);
    await expect(section.getByTestId("address-result")).toContainText("The address is saved");
    await expect(onRecord).toHaveText(/^Nyveien 22 H0101\nc\/o Hansen\n2409 Elverum\nNorway$/, {
      useInnerText: true,
    });
    await expect(section.getByTestId("address-last-change")).toContainText(
      js ? "by Sigurd Supervisor" : "by Anne Agent",
    );
    await expect(section.getByTestId("address-last-change")).toContainText(
      "Where it came from: Population register",
    );
    await expect(section.getByTestId("address-last-change")).not.toContainText(/\d{4}-\d{2}-\d{2}/);
    await expectNoAxeViolations(staff);
    await screenshot(staff, `staff-address-saved-js-${js}`);

    // Bad input straight to the server: a 400, and nothing changes.
    const bad = await staff.request.post(`/staff/cases/${claimId}`, {
      headers: { Origin: `http://localhost:${PORT}` },
      form: { intent: "address-correct", line1: "", postalCode: "1", source: "x" },
    });
    expect(bad.status()).toBe(400);
    await staff.reload();
    await expect(onRecord).toContainText("Nyveien 22 H0101");

    // Another creditor's staff: the case, and the form's target, are not there.
    if (!js) {
      const other = await staffPage(browser, "agent@vastkust.example", {
        javaScriptEnabled: false,
        creditor: "Region Västkust",
      });
      expect((await other.goto(`/staff/cases/${claimId}`))?.status()).toBe(404);
      const theirs = await other.request.post(`/staff/cases/${claimId}`, {
        headers: { Origin: `http://localhost:${PORT}` },
        form: {
          intent: "address-correct",
          line1: "Elsewhere 1",
          postalCode: "41138",
          city: "Göteborg",
          country: "SE",
          source: "Not theirs to change",
        },
      });
      expect(theirs.status()).toBe(404);
      await staff.reload();
      await expect(onRecord).toContainText("Nyveien 22 H0101");
    }
  });
}
