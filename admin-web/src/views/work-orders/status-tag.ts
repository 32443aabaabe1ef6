import type { WorkOrderStatus } from '@/api/workOrders';

/** The tag colour of an order status. */
export const statusTagType = (status: WorkOrderStatus) =>
  ({ open: 'primary', waiting_customer: 'warning', waiting_parts: 'warning', done: 'success', cancelled: 'info' })[status] as 'primary' | 'warning' | 'success' | 'info';
