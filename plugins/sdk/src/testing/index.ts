export { createTestHost, FilterVetoed, type RouteRequest, type TestHost, type TestHostOptions } from './create-test-host';
export type { FakeServiceRecord, FakeStore, ServiceOverrides } from './fake-services';
