/** Kept until this node's operations import the shared translator directly. */
export { toNodeError } from '../../shared/errors';
