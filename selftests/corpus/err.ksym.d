BEGIN
{
	trace(`no_such_kernel_symbol_here);
}
