fbt::do_sys_openat2:entry
/pid == $target/
{
	self->in = 1;
}

fbt::do_sys_openat2:entry,
fbt::getname:entry,
fbt::getname:return,
fbt::do_sys_openat2:return
/self->in/
{
}

fbt::do_sys_openat2:return
/self->in/
{
	self->in = 0;
}
