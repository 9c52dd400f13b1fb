import { GuestInfoError, ListenError } from '@guise/core';
import { ImdsCredentialsError } from '@guise/provider-aws';
import { NetPrivilegeError, NetSetupError } from '../net/net-errors.js';
import { ToolMissingError } from '../net/run-tool.js';

/**
 * Failures whose message already tells the operator what to do (missing privilege, a tool to
 * install, no VMware Tools for guestinfo, an agent that does not answer as IMDS, an address that
 * cannot be listened on): printed as they are instead of as a JSON log line with a stack. Usage
 * errors (2) are ConfigErrors; these are run-time failures (1).
 */
export function isOperatorFailure(error: unknown): error is Error {
  return (
    error instanceof NetPrivilegeError ||
    error instanceof NetSetupError ||
    error instanceof ToolMissingError ||
    error instanceof GuestInfoError ||
    error instanceof ListenError ||
    error instanceof ImdsCredentialsError
  );
}
