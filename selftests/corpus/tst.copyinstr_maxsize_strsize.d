/*
 * copyinstr(addr, n) reads at most n bytes counting the NUL, and never
 * more than strsize bytes counting it, as DTrace for Linux: under
 * strsize=12 copyinstr(arg1, 96) is 11 characters, copyinstr(arg1, 5) 4,
 * and copyinstr(arg1) (no n) strsize's 12.
 */
#pragma D option strsize=12

syscall::openat:entry
/pid == $target && copyinstr(arg1, 9) == "/ktrace-"/
{
	printf("%s|%s|%s\n", copyinstr(arg1, 96), copyinstr(arg1, 5), copyinstr(arg1));
	this->n = 1000;
	printf("%s\n", copyinstr(arg1, this->n));
}
