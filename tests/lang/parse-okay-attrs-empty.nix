[ { } {} rec { } rec {} ]
