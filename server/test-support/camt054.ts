/** A minimal camt.054 notification with one credit per payment, for tests that need their own file. */
export function camt054(
  msgId: string,
  payments: { reference: string; amount: number; bookedOn: string }[],
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
<Ntfctn><Id>${msgId}-N</Id><Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>NOK</Ccy></Acct>
<TxsSummry><TtlCdtNtries><NbOfNtries>${payments.length}</NbOfNtries><Sum>${major(total)}</Sum></TtlCdtNtries></TxsSummry>
${entries}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
}
