// Node flags for the worker, the process that runs the daily sweeps (and letters, webhooks, the
// figures). Decision 0113. The command-line tool and the web process keep V8's defaults: a bank
// file imported there must stay small in memory, and a larger young generation is more memory.
//
// A sweep's batch of a thousand claims lives in memory from its load to its commit: snapshots,
// plans, the frozen letters, the JSON sent. With V8's default young generation (16 MiB
// semi-spaces) that batch outlived two or three scavenges and was copied each time; on the
// 1,000,000-claim bench the scavenges took a fifth of the worker's CPU. Semi-spaces of 64 MiB
// let most of a batch die young. The cost is memory: the young generation is two semi-spaces, so
// up to 128 MiB, committed only as the process allocates.
export const BATCH_NODE_FLAGS = ["--max-semi-space-size=64"] as const;
