-- The export batch pages tell staff whether a batch's file was downloaded yet (its first download
-- is an audit event). Without an index that read scanned every event ever written on each page
-- view; the download events are a handful, so a partial index holds only them, in the order the
-- pages read them (the first download of each batch).
CREATE INDEX "Event_export_download_idx" ON "Event" ((data->>'exportId'), id)
  WHERE type = 'staff.downloaded_enforcement_export';
