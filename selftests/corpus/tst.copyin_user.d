syscall::openat:entry
/pid == $target && copyinstr(arg1) == "/ktrace-corpus-nofile"/
{
	this->b = (char *)copyin(arg1, 8);
	printf("%c%c%c%c%c%c%c\n", this->b[1], this->b[2], this->b[3], this->b[4],
	    this->b[5], this->b[6], this->b[7]);
	printf("%s\n", copyinstr(arg1, 7));
}
