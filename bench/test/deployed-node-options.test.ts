import { describe, expect, it } from 'vitest';
import { deployedNodeOptions } from '../src/measure/start-agent-child.js';

describe('deployedNodeOptions', () => {
  it('reads the agent’s Node options from the shipped systemd unit, so the bench runs it alike', () => {
    expect(deployedNodeOptions()).toEqual(['--max-semi-space-size=1', '--v8-pool-size=1']);
  });
});
