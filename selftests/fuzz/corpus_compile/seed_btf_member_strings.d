/* char arrays of kernel structures used as strings in every position */
syscall::read:entry
/curthread->comm == "sh" || execname != curthread->real_parent->comm/
{
	@a[curthread->comm] = count();
	@b[pid, curthread->comm] = count();
	@c[pid, tid, curthread->comm, curthread->real_parent->comm] = sum(arg2);
	@d[stringof(curthread->comm), execname] = count();
	printf("%s %s %d %s\n", execname, curthread->comm, pid, stringof(curthread->comm));
	trace(curthread->comm);
	trace(strjoin(curthread->comm, curthread->real_parent->comm));
	self->c = curthread->comm;
	this->c = strjoin(execname, curthread->comm);
	x[curthread->comm, pid] = strlen(curthread->comm);
}
