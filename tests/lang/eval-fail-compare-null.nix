null >= null
