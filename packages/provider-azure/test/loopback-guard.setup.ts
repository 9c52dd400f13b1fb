// Every test of this package may reach loopback addresses only: an SDK that falls back to
// 169.254.169.254 or the internet fails at once instead of sending a packet off the machine.
import { installLoopbackGuard } from '@guise/testkit';

installLoopbackGuard();
