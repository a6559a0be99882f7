-- The notes view asks, for each note, whether a later note corrects it.
CREATE INDEX "CaseNote_correctsId_idx" ON "CaseNote" ("correctsId");
