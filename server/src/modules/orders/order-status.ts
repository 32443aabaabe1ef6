import type { OrderStatus } from './order.models';

const rank: Record<OrderStatus, number> = { created: 0, paid: 1, shipped: 2, completed: 3, refunded: 4, cancelled: 4 };

/** Whether an order may move from `from` to `to`: forward only; refunded and cancelled are final. */
export const movesForward = (from: OrderStatus, to: OrderStatus): boolean => rank[to] > rank[from];

/** Paid and still wanted: the point at which order rules make work orders. */
export const isPaidAndLive = (status: OrderStatus): boolean => rank[status] >= rank.paid && rank[status] < rank.refunded;

export const isUndone = (status: OrderStatus): boolean => status === 'refunded' || status === 'cancelled';
