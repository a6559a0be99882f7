/**
 * A minimal camt.054 notification with one credit per payment, for tests that need their own
 * file, received on `account` (an IBAN).
 */
export function camt054(
  msgId: string,
  payments: { reference: string; amount: number; bookedOn: string }[],
  account = "NO9386011117947",
) {
  const major = (minor: number) => (minor / 100).toFixed(2);
  const total = payments.reduce((s, p) => s + p.amount, 0);
  const entries = payments
    .map(
      (p, i) => `<Ntry><NtryRef>${msgId}-${i}</NtryRef><Amt Ccy="NOK">${major(p.amount)}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${p.bookedOn}</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>${msgId}-TX-${i}</AcctSvcrRef></Refs><Amt Ccy="NOK">${major(p.amount)}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><RmtInf><Strd><CdtrRefInf><Ref>${p.reference}</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-03-05T06:00:00+01:00</CreDtTm></GrpHdr>
<Ntfctn><Id>${msgId}-N</Id><Acct><Id><IBAN>${account}</IBAN></Id><Ccy>NOK</Ccy></Acct>
<TxsSummry><TtlCdtNtries><NbOfNtries>${payments.length}</NbOfNtries><Sum>${major(total)}</Sum></TtlCdtNtries></TxsSummry>
${entries}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
}

/**
 * A camt.054 notification in the shape of Kivra's public sample reports (.001.02 and .001.13): a
 * Bankgiro account without an IBAN (Othr/Id with scheme BGNR), TxsSummry/TtlNtries, the amount
 * only on the entry, the bank's AcctSvcrRef on the entry and one TxDtls holding the payer and
 * the structured reference (CdtrRefInf/Ref). `.13` gives the status as Sts/Prtry PAID, as
 * Kivra's does.
 */
export function kivraShapedCamt054(
  msgId: string,
  version: "02" | "13",
  entries: { acctSvcrRef: string; reference: string; amount: number; bookedOn: string }[],
) {
  const major = (minor: number) => (minor / 100).toFixed(2);
  const total = entries.reduce((s, e) => s + e.amount, 0);
  const bankgiro = `<Id><Othr><Id>321-7254</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id>`;
  const status = version === "13" ? "<Sts><Prtry>PAID</Prtry></Sts>" : "<Sts>BOOK</Sts>";
  const debtor =
    version === "13"
      ? "<Dbtr><Pty><Nm>Not available</Nm></Pty></Dbtr>"
      : "<Dbtr><Nm>Not available</Nm></Dbtr>";
  const body = entries
    .map(
      (e) => `      <Ntry>
        <Amt Ccy="SEK">${major(e.amount)}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        ${status}
        <BookgDt><Dt>${e.bookedOn}</Dt></BookgDt>
        <AcctSvcrRef>${e.acctSvcrRef}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>NTAV</Cd><SubFmlyCd>NTAV</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <RltdPties>${debtor}<CdtrAcct>${bankgiro}</CdtrAcct></RltdPties>
          <RmtInf><Strd>
            <RfrdDocInf><Tp><CdOrPrtry><Cd>${version === "13" ? "INV" : "CINV"}</Cd></CdOrPrtry></Tp></RfrdDocInf>
            <CdtrRefInf><Ref>${e.reference}</Ref></CdtrRefInf>
          </Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-03-10T14:15:48Z</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>${msgId}</Id>
      <Acct>${bankgiro}<Ownr><Id><OrgId><Othr><Id>585554-9365</Id><SchmeNm><Cd>COID</Cd></SchmeNm></Othr></OrgId></Id></Ownr></Acct>
      <TxsSummry><TtlNtries><NbOfNtries>${entries.length}</NbOfNtries><Sum>${major(total)}</Sum></TtlNtries></TxsSummry>
${body}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`;
}
