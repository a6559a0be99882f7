// Node flags for the processes that run the batch jobs: the worker (daily sweeps, letters, bank
// files) and the command-line tool (`kravportal sweep`). Decision 0113.
//
// A sweep's batch of a thousand claims lives in memory from its load to its commit: snapshots,
// plans, the frozen letters, the JSON sent. With V8's default young generation (16 MiB
// semi-spaces) that batch outlived two or three scavenges and was copied each time; on the
// 1,000,000-claim bench the scavenges took a fifth of the worker's CPU. Semi-spaces of 64 MiB
// let most of a batch die young. The cost is memory: up to three semi-spaces, 192 MiB at most,
// committed only as the process allocates.
export const BATCH_NODE_FLAGS = ["--max-semi-space-size=64"] as const;
