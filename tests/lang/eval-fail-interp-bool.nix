''a${true}''
