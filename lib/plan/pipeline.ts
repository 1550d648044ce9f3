import type { RosterConfig } from '../config/types.js';

/**
 * CodePipeline allows 50 actions per stage and CDK Pipelines puts a whole wave in one stage, two
 * actions (prepare, deploy) per account: larger account types are split into several waves.
 */
export const MAX_ACCOUNTS_PER_WAVE = 20;

export interface WavePlan {
  name: string;
  accountType: string;
  /** Account file prefixes, deployed in parallel. */
  accounts: readonly string[];
  /** A manual approval before this wave (the first wave of an approval-gated type). */
  manualApproval: boolean;
}

export interface PipelinePlan {
  account: string;
  region: string;
  connectionArn: string;
  repository: string;
  branch: string;
  /** After CentralStack, in waveOrder. */
  waves: readonly WavePlan[];
}

export function planPipeline(config: RosterConfig): PipelinePlan | undefined {
  const { pipeline } = config;
  if (!pipeline) return undefined;
  const waves = pipeline.waveOrder.flatMap((type) => {
    const accounts = config.accounts.filter((a) => a.type === type).map((a) => a.prefix).sort();
    const chunks: string[][] = [];
    for (let i = 0; i < accounts.length; i += MAX_ACCOUNTS_PER_WAVE) chunks.push(accounts.slice(i, i + MAX_ACCOUNTS_PER_WAVE));
    return chunks.map((chunk, i) => ({
      name: chunks.length === 1 ? type : `${type}-part${i + 1}`,
      accountType: type,
      accounts: chunk,
      manualApproval: i === 0 && pipeline.manualApproval.includes(type),
    }));
  });
  const { account, region, connectionArn, repository, branch } = pipeline;
  return { account, region, connectionArn, repository, branch, waves };
}
