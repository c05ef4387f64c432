[ (args @ { a }: a) ({ a } @ args: a) ]
