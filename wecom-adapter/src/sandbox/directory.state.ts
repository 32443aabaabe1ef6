import type { Department, Employee } from './sandbox.types';

/** Departments and employees (通讯录). Employees who left keep their record with status 5. */
export function createDirectoryState() {
  const departments = new Map<number, Department>();
  const employees = new Map<string, Employee>();

  const childrenOf = (id: number) => [...departments.values()].filter((d) => d.parentid === id && d.id !== id);

  /** The department and all its descendants, parents first. */
  function subtree(id: number): Department[] {
    const root = departments.get(id);
    if (!root) return [];
    const out: Department[] = [root];
    for (let i = 0; i < out.length; i += 1) out.push(...childrenOf((out[i] as Department).id));
    return out;
  }

  const isActive = (e: Employee | undefined): e is Employee => !!e && e.status !== 5;

  /** The app's visible range (可见范围): department subtrees it may read; null = the whole directory. */
  let visibleRoots: number[] | null = null;
  const departmentVisible = (id: number) => visibleRoots === null || visibleRoots.some((root) => subtree(root).some((d) => d.id === id));

  return {
    departments,
    employees,
    addDepartment(department: Department) {
      departments.set(department.id, department);
      return department;
    },
    addEmployee(employee: Employee) {
      employees.set(employee.userid, employee);
      return employee;
    },
    subtree,
    /** Departments sorted by id (the whole tree when id is absent). */
    listDepartments(id?: number): Department[] {
      const list = id === undefined ? [...departments.values()] : subtree(id);
      return list.sort((a, b) => a.id - b.id);
    },
    activeEmployee: (userid: string) => {
      const e = employees.get(userid);
      return isActive(e) ? e : undefined;
    },
    activeEmployees: () => [...employees.values()].filter(isActive),
    /** Active members of the departments (and of their descendants when recursive). */
    employeesIn(departmentId: number, recursive: boolean): Employee[] {
      const ids = new Set(recursive ? subtree(departmentId).map((d) => d.id) : [departmentId]);
      return [...employees.values()].filter((e) => isActive(e) && e.department.some((d) => ids.has(d)));
    },
    setVisibility(roots: number[] | null) {
      visibleRoots = roots ? [...roots] : null;
      return visibleRoots;
    },
    departmentVisible,
    /** An employee is readable when one of their departments is. */
    employeeVisible: (e: Employee) => e.department.some(departmentVisible),
    markLeft(userid: string, at?: number) {
      const e = employees.get(userid);
      if (e) e.status = 5;
      if (e && at !== undefined) e.leftAt = at;
      return e;
    },
  };
}

export type DirectoryState = ReturnType<typeof createDirectoryState>;
